import type { Metadata } from "next";
import Link from "next/link";

import { CheckoutStatus } from "@/components/billing/checkout-status";
import { PlanCards, ScheduledCancellation } from "@/components/billing/plan-cards";
import { getDb } from "@/db";
import { getPlanSchedule } from "@/lib/billing/billing-view";
import { readCheckout } from "@/lib/billing/checkouts";
import { getBillingOverview } from "@/lib/billing/overview";
import { formatDay } from "@/lib/billing/periods";
import { upgradesUnavailableReason } from "@/lib/billing/provider";
import { requireOrgAccess } from "@/lib/next/org-access";
import { planLabel } from "@/lib/shared/plans";
import { can } from "@/lib/shared/roles";

export const metadata: Metadata = { title: "Plan" };

type Props = { params: Promise<{ org: string }>; searchParams: Promise<{ checkout?: string; cancelled?: string }> };

export default async function PlanPage({ params, searchParams }: Props) {
  const access = await requireOrgAccess((await params).org, "/settings/plan");
  const { org, user, role } = access;
  const { checkout: checkoutId, cancelled } = await searchParams;
  // Everyone sees the plan and the seats; changing the plan (and a checkout's outcome) is for billing.manage.
  const canManage = can(role, "billing.manage");
  const db = await getDb();
  const [overview, checkout, schedule] = await Promise.all([
    getBillingOverview(db, user.id, access),
    canManage && checkoutId ? readCheckout(db, user.id, access, checkoutId) : undefined,
    // The subscription's dates are billing information: read for those who manage it only.
    canManage ? getPlanSchedule(db, user.id, access) : undefined,
  ]);
  const { usage, paymentMethod } = overview;
  const upgradesUnavailable = upgradesUnavailableReason(Boolean(paymentMethod));
  const percent = usage.limit ? Math.min(100, Math.round((usage.taken / usage.limit) * 100)) : 0;
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <h2 className="text-lg font-semibold">Plan</h2>
        <p className="text-sm text-zinc-600">
          {org.name} is on the <strong data-testid="current-plan">{planLabel(overview.org.plan)}</strong> plan. Each organization pays for
          itself.
        </p>
      </header>
      {checkout ? (
        <CheckoutStatus state={checkout.state} cancelled={cancelled === "1"} planLabel={checkout.plan ? planLabel(checkout.plan) : null} />
      ) : null}
      {schedule?.cancelAtPeriodEnd ? (
        <ScheduledCancellation orgName={org.name} plan={schedule.plan} endsAt={formatDay(schedule.periodEnd)} canManage={canManage} />
      ) : null}

      <section aria-labelledby="seats-heading" className="space-y-2 rounded-lg border border-zinc-200 bg-white p-5 shadow-xs">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h3 id="seats-heading" className="text-sm font-medium text-zinc-900">
            Seats
          </h3>
          <p className="text-sm text-zinc-600" data-testid="plan-seat-usage">
            {usage.limit === null ? `${usage.taken} used · unlimited` : `${usage.taken} of ${usage.limit} used`}
          </p>
        </div>
        {usage.limit !== null ? (
          <div
            className="h-2 overflow-hidden rounded-full bg-zinc-100"
            role="progressbar"
            aria-label="Seats used"
            aria-valuemin={0}
            aria-valuemax={usage.limit}
            aria-valuenow={usage.taken}
          >
            <div className={`h-full rounded-full ${usage.full ? "bg-amber-500" : "bg-zinc-900"}`} style={{ width: `${percent}%` }} />
          </div>
        ) : null}
        <p className="text-xs text-zinc-500">
          {usage.members} {usage.members === 1 ? "member" : "members"} and {usage.pending} pending{" "}
          {usage.pending === 1 ? "invitation" : "invitations"}: pending invitations hold a seat until they are accepted, declined or
          removed.
        </p>
      </section>

      <PlanCards
        orgName={org.name}
        currentPlan={overview.org.plan}
        hasPaymentMethod={Boolean(paymentMethod)}
        upgradesUnavailable={upgradesUnavailable}
        canManage={canManage}
        schedule={schedule ? { periodEnd: formatDay(schedule.periodEnd), cancelScheduled: schedule.cancelAtPeriodEnd } : undefined}
      />

      {upgradesUnavailable || !canManage ? null : (
        <p className="text-sm text-zinc-600">
          Paid plans need billing information and a payment method:{" "}
          <Link href={`/orgs/${org.name}/settings/billing`} className="font-medium text-zinc-900 underline underline-offset-2">
            Billing
          </Link>
          .
        </p>
      )}
    </div>
  );
}

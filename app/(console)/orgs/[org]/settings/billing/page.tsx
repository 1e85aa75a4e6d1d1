import type { Metadata } from "next";
import Link from "next/link";

import { SubscriptionCard, UsageCard, type SubscriptionView, type UsageView } from "@/components/billing/billing-cycle";
import { BillingDetailsForm } from "@/components/billing/billing-details-form";
import { CheckoutStatus } from "@/components/billing/checkout-status";
import { PaymentMethodPanel } from "@/components/billing/payment-method-panel";
import { TestClockPanel } from "@/components/billing/test-clock-panel";
import { Card } from "@/components/ui/card";
import { PermissionNote } from "@/components/ui/permission-note";
import { getDb } from "@/db";
import { getBillingSummary, type BillingSummary } from "@/lib/billing/billing-view";
import { describeCard } from "@/lib/billing/cards";
import { readCheckout } from "@/lib/billing/checkouts";
import { getBillingOverview } from "@/lib/billing/overview";
import { paymentMethodRemovalRefusal } from "@/lib/billing/payment-methods";
import { formatDay, formatPeriod } from "@/lib/billing/periods";
import { paymentProviderId } from "@/lib/core/env";
import { requireOrgAccess } from "@/lib/next/org-access";
import { COUNTRIES } from "@/lib/shared/countries";
import { formatMoney } from "@/lib/shared/money";
import { CURRENCY, isSelfServePlan, isUpgrade, planLabel } from "@/lib/shared/plans";
import { can } from "@/lib/shared/roles";

export const metadata: Metadata = { title: "Billing" };

const PROVIDER_NOTES = {
  test: "Test mode: cards are entered on the built-in test payment page and nothing is charged.",
  stripe: "Cards are entered on Stripe's page; only the brand, the last 4 digits and the expiry are kept here.",
  none: "Payments are not configured on this server yet, so paid plans are unavailable. Contact support to upgrade.",
};

type Props = { params: Promise<{ org: string }>; searchParams: Promise<{ plan?: string; checkout?: string; cancelled?: string }> };

export default async function BillingPage({ params, searchParams }: Props) {
  const access = await requireOrgAccess((await params).org, "/settings/billing");
  const { org, user, role } = access;
  // Billing information and the card are for owners and billing managers: lib/ refuses the others, so nothing is read for them.
  if (!can(role, "billing.manage")) {
    return (
      <div className="max-w-2xl">
        <Card title="Billing" description="Billing information and the payment method of this organization.">
          <PermissionNote permission="billing.manage">
            <Link href={`/orgs/${org.name}/settings/plan`} className="font-medium text-zinc-900 underline underline-offset-2">
              See the plan and seats
            </Link>
          </PermissionNote>
        </Card>
      </div>
    );
  }
  const { plan, checkout: checkoutId, cancelled } = await searchParams;
  const db = await getDb();
  const [{ org: current, details, paymentMethod }, checkout, summary] = await Promise.all([
    getBillingOverview(db, user.id, access, "billing"),
    checkoutId ? readCheckout(db, user.id, access, checkoutId) : undefined,
    getBillingSummary(db, user.id, access),
  ]);
  // On the way up to a paid plan (from the plan page or org creation); Enterprise goes through sales.
  const continueToPlan = isSelfServePlan(plan) && isUpgrade(current.plan, plan) ? { id: plan, label: planLabel(plan) } : undefined;
  return (
    <div className="max-w-2xl space-y-8">
      {checkout ? (
        <CheckoutStatus state={checkout.state} cancelled={cancelled === "1"} planLabel={checkout.plan ? planLabel(checkout.plan) : null} />
      ) : null}
      {continueToPlan ? (
        <div role="status" className="rounded-md border border-sky-200 bg-sky-50 px-4 py-3 text-sm text-sky-800" data-testid="upgrade-step">
          Moving to <strong>{continueToPlan.label}</strong>: check the billing information, then add a card on the next page. {org.name}{" "}
          stays on {planLabel(current.plan)} until the card is saved.
        </div>
      ) : null}
      <SubscriptionCard view={subscriptionView(org.name, summary)} />
      <UsageCard view={usageView(summary)} />
      {summary.testClock ? (
        <Card
          title="Test clock"
          description="Test mode: move billing's time forward to see renewals, invoices and failed payments without waiting. The clock is this server's, for every organization."
        >
          <TestClockPanel orgName={org.name} today={formatDay(summary.now)} ahead={aheadLabel(summary.testClock.offsetSeconds)} />
        </Card>
      ) : null}
      <Card title="Billing information" description="Who the invoices are addressed to. Needed before a paid plan.">
        <BillingDetailsForm
          orgName={org.name}
          countries={COUNTRIES}
          continueToPlan={continueToPlan}
          initial={{
            name: details?.name ?? "",
            email: details?.email ?? user.email,
            addressLine1: details?.addressLine1 ?? "",
            addressLine2: details?.addressLine2 ?? "",
            city: details?.city ?? "",
            postalCode: details?.postalCode ?? "",
            country: details?.country ?? "",
            taxId: details?.taxId ?? "",
          }}
        />
      </Card>
      <Card title="Payment method" description={PROVIDER_NOTES[paymentProviderId()]}>
        <PaymentMethodPanel
          orgName={org.name}
          canAdd={Boolean(details)}
          removeRefusal={paymentMethodRemovalRefusal(current)}
          method={
            paymentMethod
              ? {
                  label: describeCard(paymentMethod),
                  expiry: `${String(paymentMethod.expMonth).padStart(2, "0")}/${paymentMethod.expYear}`,
                }
              : null
          }
        />
      </Card>
    </div>
  );
}

const money = (cents: number) => formatMoney(cents, CURRENCY);
const hours = (count: number) => `${count.toLocaleString("en-US")} h`;

const STATUS: Record<BillingSummary["status"], SubscriptionView["status"]> = {
  active: { label: "Active", tone: "green" },
  cancels: { label: "Cancels", tone: "amber" },
  payment_failed: { label: "Payment failed", tone: "red" },
  past_due: { label: "Past due", tone: "red" },
};

function subscriptionView(orgName: string, summary: BillingSummary): SubscriptionView {
  const { subscription: sub, nextInvoice: next } = summary;
  const status = { ...STATUS[summary.status] };
  if (summary.status === "cancels" && sub) status.label = `Cancels on ${formatDay(sub.currentPeriodEnd)}`;
  if (!sub && summary.status === "active") status.label = summary.org.plan === "starter" ? "Free" : "Active";
  const lines: [string, string][] = [];
  if (next) {
    if (next.planCents) lines.push([`${planLabel(sub!.plan)} plan, next period in advance`, money(next.planCents)]);
    if (next.usageCents) lines.push(["App-hours past the included ones (forecast)", money(next.usageCents)]);
    if (next.pendingCents) lines.push([next.pendingCents < 0 ? "Credit from a plan change" : "Pending charges", money(next.pendingCents)]);
    lines.push([next.taxLabel, money(next.taxCents)]);
  }
  const failed =
    summary.failedInvoices > 0
      ? `${summary.failedInvoices === 1 ? "An invoice is" : `${summary.failedInvoices} invoices are`} unpaid: replace the card below to pay now.`
      : undefined;
  const note =
    failed ??
    (sub?.cancelAtPeriodEnd
      ? `${planLabel(sub.plan)} ends on ${formatDay(sub.currentPeriodEnd)}, then ${orgName} moves to Starter. Keep ${planLabel(sub.plan)} from the Plan page.`
      : !sub
        ? summary.org.plan === "starter"
          ? "Starter is free: no subscription and no invoices. Upgrade from the Plan page."
          : `The ${planLabel(summary.org.plan)} plan is invoiced by arrangement.`
        : undefined);
  return {
    planLabel: planLabel(sub?.plan ?? summary.org.plan),
    status,
    period: sub ? formatPeriod(sub.currentPeriodStart, sub.currentPeriodEnd) : null,
    nextInvoice: next
      ? {
          date: formatDay(next.date),
          total: money(next.totalCents),
          lines,
          note:
            next.kind === "final"
              ? "The last invoice: this period's usage and any credit left, when the plan ends."
              : "Usage is a forecast: the apps running now, running until the period's end.",
        }
      : null,
    note,
    invoicesHref: `/orgs/${orgName}/settings/invoices`,
  };
}

function usageView(summary: BillingSummary): UsageView {
  const { usage } = summary;
  const billed = usage.appHourCents > 0;
  return {
    period: formatPeriod(usage.periodStart, usage.periodEnd),
    hours: hours(usage.hours),
    included: billed ? hours(usage.includedHours) : "None",
    forecast: hours(usage.forecastHours),
    forecastCharge: money(usage.forecastChargeCents),
    running: `${usage.runningApps} ${usage.runningApps === 1 ? "app" : "apps"} running`,
    percentOfIncluded: billed && usage.includedHours > 0 ? Math.min(100, Math.round((usage.hours / usage.includedHours) * 100)) : null,
    rate: billed ? `${usage.appHourCents}¢ per app-hour past ${hours(usage.includedHours)}.` : "App-hours are not billed on this plan.",
  };
}

/** "31 days", or null when the clock is at real time. */
function aheadLabel(seconds: number): string | null {
  if (seconds <= 0) return null;
  const days = Math.round(seconds / 86_400);
  return days >= 1 ? `${days} ${days === 1 ? "day" : "days"}` : "less than a day";
}

import type { Metadata } from "next";
import Link from "next/link";

import { BillingDetailsForm } from "@/components/billing/billing-details-form";
import { CheckoutStatus } from "@/components/billing/checkout-status";
import { PaymentMethodPanel } from "@/components/billing/payment-method-panel";
import { Card } from "@/components/ui/card";
import { PermissionNote } from "@/components/ui/permission-note";
import { getDb } from "@/db";
import { describeCard } from "@/lib/billing/cards";
import { readCheckout } from "@/lib/billing/checkouts";
import { getBillingOverview } from "@/lib/billing/overview";
import { paymentMethodRemovalRefusal } from "@/lib/billing/payment-methods";
import { paymentProviderId } from "@/lib/core/env";
import { requireOrgAccess } from "@/lib/next/org-access";
import { COUNTRIES } from "@/lib/shared/countries";
import { isSelfServePlan, isUpgrade, planLabel } from "@/lib/shared/plans";
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
  const [{ org: current, details, paymentMethod }, checkout] = await Promise.all([
    getBillingOverview(db, user.id, access, "billing"),
    checkoutId ? readCheckout(db, user.id, access, checkoutId) : undefined,
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

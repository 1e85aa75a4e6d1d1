import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { formatPrice } from "@/components/billing/plan-text";
import { TestCheckoutForm } from "@/components/billing/test-checkout-form";
import { CenteredPage } from "@/components/ui/centered-page";
import { getDb } from "@/db";
import { getBillingDetails } from "@/lib/billing/billing-details";
import { getTestCheckout, type TestCheckoutView } from "@/lib/billing/test-checkout";
import { isAppError } from "@/lib/core/errors";
import { requireUser } from "@/lib/next/session";
import { isPlanId, planLabel } from "@/lib/shared/plans";

export const metadata: Metadata = { title: "Test payment" };

/**
 * The built-in payment page (no STRIPE_SECRET_KEY): it plays a hosted checkout,
 * outside the console's frame, and says plainly that nothing is charged.
 */
export default async function TestCheckoutPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUser(`/checkout/${id}`);
  const db = await getDb();
  let view: TestCheckoutView;
  try {
    view = await getTestCheckout(db, user.id, id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
  const billing = await getBillingDetails(db, view.checkout.orgId);
  const plan = view.checkout.plan && isPlanId(view.checkout.plan) ? view.checkout.plan : undefined;
  return (
    <CenteredPage width="max-w-md">
      <div className="space-y-6 rounded-lg border border-zinc-200 bg-white p-6 shadow-sm">
        <div
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-center text-sm font-semibold text-amber-900"
          data-testid="test-mode-banner"
        >
          Test mode — no real charge
        </div>
        <header className="space-y-1">
          <p className="text-sm text-zinc-600">{view.orgName}</p>
          <h1 className="text-xl font-semibold tracking-tight">
            {plan ? `${planLabel(plan)} plan · ${formatPrice(plan)}` : "Save a payment method"}
          </h1>
          <p className="text-sm text-zinc-600">
            {plan
              ? `The card is saved for ${view.orgName}; the plan applies as soon as it is accepted.`
              : `The card replaces any card on file for ${view.orgName}.`}
            {billing ? ` Receipts go to ${billing.email}.` : ""}
          </p>
        </header>
        {view.state === "open" ? (
          <TestCheckoutForm checkoutId={view.checkout.id} submitLabel={plan ? `Start ${planLabel(plan)}` : "Save card"} />
        ) : (
          <p className="text-sm text-zinc-700" data-testid="checkout-closed">
            {view.state === "completed"
              ? "This checkout is complete."
              : "This payment page has expired. Start again from the billing page."}
          </p>
        )}
        <Link
          href={`${view.returnPath}${view.state === "open" ? "&cancelled=1" : ""}`}
          className="block text-center text-sm text-zinc-600 underline underline-offset-2"
        >
          {view.state === "open" ? `Cancel and return to ${view.orgName}` : `Return to ${view.orgName}`}
        </Link>
      </div>
    </CenteredPage>
  );
}

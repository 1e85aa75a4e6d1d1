import "server-only";

import { eq } from "drizzle-orm";

import type { Db } from "@/db";
import { paymentMethods } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { inTransaction } from "@/lib/core/transaction";
import { lockOrgForMember, type OrgRef } from "@/lib/orgs/access";
import { isPaidPlan, isPlanId, type PlanId } from "@/lib/shared/plans";

import { applyPlan } from "./apply-plan";
import { getBillingDetails } from "./billing-details";
import { startCheckout } from "./checkouts";
import { paymentProvider, type PaymentProvider } from "./provider";
import { switchStripePlan } from "./stripe-billing";
import { switchPlan } from "./subscriptions";

export type PlanChange =
  | { status: "changed"; from: string; to: PlanId }
  | { status: "unchanged" }
  | { status: "cancel_scheduled"; endsAt: Date }
  | { status: "resumed"; plan: PlanId }
  | { status: "needs_billing_details" }
  | { status: "checkout"; checkoutId: string; url: string };

/**
 * Changes an org's plan. Downgrades apply at once when the members and pending
 * invitations fit (with the built-in billing, a move to Starter at the period's end). A paid plan needs billing information (else the answer says
 * so) and a payment method: with one on file the change applies at once, without
 * one a checkout starts and the plan applies when the card is saved.
 */
export async function changePlan(
  db: Db,
  actor: Actor,
  input: { org: OrgRef; plan: unknown },
  provider: PaymentProvider = paymentProvider(),
): Promise<PlanChange> {
  const plan = input.plan;
  if (!isPlanId(plan)) throw new AppError("validation", "Choose one of the plans.", { plan: ["Choose one of the plans."] });
  if (plan === "enterprise") throw new AppError("validation", "The Enterprise plan is arranged with our sales team: use Contact sales.");
  const decision = await inTransaction(db, async (tx): Promise<PlanChange | { status: "needs_payment_method" }> => {
    const { org } = await lockOrgForMember(tx, actor.userId, input.org, "billing.manage");
    // The built-in billing keeps subscriptions: a cancelled plan can be kept, and a period may need billing first.
    if (provider.id === "test" && (org.plan === plan || !isPaidPlan(plan))) return switchPlan(tx, actor, org, plan);
    // So does Stripe Billing: Starter waits for the period's end at Stripe, and can be withdrawn until then.
    if (provider.id === "stripe" && (org.plan === plan || !isPaidPlan(plan))) return switchStripePlan(tx, actor, org, plan);
    if (org.plan === plan) return { status: "unchanged" };
    if (isPaidPlan(plan)) {
      if (!(await getBillingDetails(tx, org.id))) return { status: "needs_billing_details" };
      const [method] = await tx.select({ orgId: paymentMethods.orgId }).from(paymentMethods).where(eq(paymentMethods.orgId, org.id));
      if (!method) return { status: "needs_payment_method" };
    }
    if (provider.id === "test") return switchPlan(tx, actor, org, plan);
    if (provider.id === "stripe") return switchStripePlan(tx, actor, org, plan);
    await applyPlan(tx, actor, org, plan);
    return { status: "changed", from: org.plan, to: plan };
  });
  if (decision.status !== "needs_payment_method") return decision;
  const checkout = await startCheckout(db, actor, { org: input.org, plan }, provider);
  return { status: "checkout", ...checkout };
}

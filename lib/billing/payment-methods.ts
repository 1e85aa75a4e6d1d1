import "server-only";

import { eq } from "drizzle-orm";

import type { Db } from "@/db";
import { paymentMethods, type Organization } from "@/db/schema";
import { recordActivity } from "@/lib/activity/record";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { inTransaction } from "@/lib/core/transaction";
import { lockOrgForMember, type OrgRef } from "@/lib/orgs/access";
import { isPaidPlan, planLabel } from "@/lib/shared/plans";

import { describeCard } from "./cards";
import { startCheckout } from "./checkouts";
import { paymentProvider, type PaymentProvider } from "./provider";
import { queuePaymentMethodDetach } from "./provider-jobs";

/** Starts the payment page to add a payment method, or to replace the current one. */
export function replacePaymentMethod(db: Db, actor: Actor, input: { org: OrgRef }, provider: PaymentProvider = paymentProvider()) {
  return startCheckout(db, actor, { org: input.org, plan: null }, provider);
}

/** Why the org's payment method cannot be removed now (a paid plan needs it), or undefined when it can. */
export function paymentMethodRemovalRefusal(org: Pick<Organization, "name" | "plan">): string | undefined {
  if (!isPaidPlan(org.plan)) return undefined;
  return `${org.name} is on the ${planLabel(org.plan)} plan, which needs a payment method. Replace the card instead, or move to Starter first.`;
}

/** Removes the org's payment method; refused while a paid plan depends on it. */
export async function removePaymentMethod(db: Db, actor: Actor, input: { org: OrgRef }): Promise<void> {
  await inTransaction(db, async (tx) => {
    const { org } = await lockOrgForMember(tx, actor.userId, input.org, "billing.manage");
    const refusal = paymentMethodRemovalRefusal(org);
    if (refusal) throw new AppError("conflict", refusal);
    const [method] = await tx.delete(paymentMethods).where(eq(paymentMethods.orgId, org.id)).returning();
    if (!method) throw new AppError("not_found", "This organization has no payment method.");
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: "payment_method.removed",
      target: { type: "payment_method", id: org.id, label: describeCard(method) },
      metadata: { brand: method.brand, last4: method.last4 },
    });
    if (method.provider === "stripe" && method.providerRef) await queuePaymentMethodDetach(tx, method.providerRef);
  });
}

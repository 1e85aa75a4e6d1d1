import "server-only";

import { and, eq, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { checkouts, organizations, paymentMethods, type Checkout, type Organization } from "@/db/schema";
import { recordActivity } from "@/lib/activity/record";
import type { Actor } from "@/lib/core/actor";
import { AppError, isAppError } from "@/lib/core/errors";
import { hasExpired } from "@/lib/core/expiry";
import { isUuid } from "@/lib/core/ids";
import { appUrl } from "@/lib/core/urls";
import { requireMembership, type OrgRef } from "@/lib/orgs/access";
import { isPlanId, isUpgrade, type PlanId } from "@/lib/shared/plans";

import { applyPlan, recordUpgradeFailure } from "./apply-plan";
import { getBillingDetails } from "./billing-details";
import { describeCard, type CardDetails } from "./cards";
import { chargeFailedInvoicesNow } from "./charges";
import { PAYMENTS_NOT_CONFIGURED, type PaymentProvider } from "./provider";
import { switchStripePlan } from "./stripe-billing";
import { switchPlan } from "./subscriptions";

/** How long a payment page stays usable, as at hosted checkouts. */
const CHECKOUT_LIFETIME = sql`now() + interval '24 hours'`;

export const BILLING_DETAILS_FIRST = "Add the billing information first: it is needed before a payment method.";

/** Where the payment page sends the user back: the plan page for an upgrade, else the billing page. */
export function checkoutReturnPath(orgName: string, checkout: Pick<Checkout, "id" | "plan">): string {
  return `/orgs/${orgName}/settings/${checkout.plan ? "plan" : "billing"}?checkout=${checkout.id}`;
}

/**
 * Starts a trip to the payment page: to add or replace the org's payment method
 * and, with `plan`, to move to that plan once it is saved. The org stays as it is
 * until then, so an abandoned checkout leaves nothing half done.
 */
export async function startCheckout(
  db: Db,
  actor: Actor,
  input: { org: OrgRef; plan?: PlanId | null },
  provider: PaymentProvider,
): Promise<{ checkoutId: string; url: string }> {
  const { org } = await requireMembership(db, actor.userId, input.org, "billing.manage");
  if (provider.id === "none") throw new AppError("unavailable", PAYMENTS_NOT_CONFIGURED);
  const billing = await getBillingDetails(db, org.id);
  if (!billing) throw new AppError("conflict", BILLING_DETAILS_FIRST);
  const [checkout] = await db
    .insert(checkouts)
    .values({
      orgId: org.id,
      plan: input.plan ?? null,
      provider: provider.id,
      startedBy: actor.userId,
      startedByName: actor.name,
      startedByEmail: actor.email,
      expiresAt: CHECKOUT_LIFETIME,
    })
    .returning();
  const returnUrl = appUrl(checkoutReturnPath(org.name, checkout!));
  try {
    const started = await provider.startCheckout({
      checkoutId: checkout!.id,
      org,
      billing,
      successUrl: returnUrl,
      cancelUrl: `${returnUrl}&cancelled=1`,
    });
    await db.update(checkouts).set({ providerSessionId: started.sessionId }).where(eq(checkouts.id, checkout!.id));
    if (started.customerId && started.customerId !== org.providerCustomerId) {
      await db.update(organizations).set({ providerCustomerId: started.customerId }).where(eq(organizations.id, org.id));
    }
    return { checkoutId: checkout!.id, url: started.url };
  } catch (error) {
    await db.update(checkouts).set({ status: "expired" }).where(eq(checkouts.id, checkout!.id));
    console.error(`checkout ${checkout!.id}: the payment provider failed`, error instanceof Error ? error.message : error);
    throw new AppError("unavailable", "The payment provider could not be reached. Nothing was changed; try again in a minute.");
  }
}

/** Who started a checkout, as the actor of what its completion records (a webhook has no session). */
function checkoutActor(checkout: Checkout): Actor | undefined {
  if (!checkout.startedBy) return undefined;
  return { userId: checkout.startedBy, name: checkout.startedByName, email: checkout.startedByEmail };
}

export interface CheckoutCompletion {
  org: Organization;
  checkout: Checkout;
  /** False when the checkout was already completed or expired: nothing changed. */
  applied: boolean;
  /** The provider's id of the card this one replaced, to forget after commit. */
  replacedRef: string | null;
}

/**
 * Saves the card a checkout collected as the org's payment method and, for an
 * upgrade, applies the plan: one transaction, one entry per change. Locks the
 * org row, then the checkout, so a redelivered webhook or a second submit of the
 * test page finds the checkout completed and changes nothing.
 */
export async function completeCheckout(
  tx: Db,
  checkoutId: string,
  card: CardDetails & { provider: string; providerRef: string | null },
): Promise<CheckoutCompletion> {
  const [found] = await tx.select({ orgId: checkouts.orgId }).from(checkouts).where(eq(checkouts.id, checkoutId));
  if (!found) throw new AppError("not_found", "This checkout does not exist.");
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, found.orgId)).for("update");
  const [checkout] = await tx.select().from(checkouts).where(eq(checkouts.id, checkoutId)).for("update");
  if (!org || !checkout) throw new AppError("not_found", "This checkout does not exist.");
  const actor = checkoutActor(checkout);
  if (checkout.status !== "open" || !actor) return { org, checkout, applied: false, replacedRef: null };

  const [previous] = await tx.select().from(paymentMethods).where(eq(paymentMethods.orgId, org.id));
  const method = {
    provider: card.provider,
    providerRef: card.providerRef,
    brand: card.brand,
    last4: card.last4,
    expMonth: card.expMonth,
    expYear: card.expYear,
  };
  await tx
    .insert(paymentMethods)
    .values({ orgId: org.id, ...method })
    .onConflictDoUpdate({ target: paymentMethods.orgId, set: { ...method, addedAt: sql`now()` } });
  await recordActivity(tx, {
    orgId: org.id,
    actor,
    type: previous ? "payment_method.replaced" : "payment_method.added",
    target: { type: "payment_method", id: org.id, label: describeCard(card) },
    metadata: {
      brand: card.brand,
      last4: card.last4,
      expMonth: card.expMonth,
      expYear: card.expYear,
      ...(previous ? { replaced: describeCard(previous) } : {}),
    },
  });
  // A new card pays what the old one could not, now rather than at the next retry.
  if (card.provider === "test") await chargeFailedInvoicesNow(tx, org.id);
  const [completed] = await tx
    .update(checkouts)
    .set({ status: "completed", completedAt: sql`now()` })
    .where(and(eq(checkouts.id, checkout.id), eq(checkouts.status, "open")))
    .returning();

  // Only a move up: an older checkout for a smaller plan, paid after a larger one, keeps the larger plan.
  if (checkout.plan && isPlanId(checkout.plan) && isUpgrade(org.plan, checkout.plan)) {
    try {
      if (card.provider === "test") await switchPlan(tx, actor, org, checkout.plan);
      else if (card.provider === "stripe") await switchStripePlan(tx, actor, org, checkout.plan);
      else await applyPlan(tx, actor, org, checkout.plan);
    } catch (error) {
      // Seats changed since the upgrade began (support lowered a limit): keep the card, say why the plan did not apply.
      if (!isAppError(error)) throw error;
      await recordUpgradeFailure(tx, actor, org, checkout.plan, error.message);
    }
  }
  const replacedRef = previous?.providerRef && previous.providerRef !== card.providerRef ? previous.providerRef : null;
  return { org, checkout: completed ?? checkout, applied: true, replacedRef };
}

export type CheckoutState = "open" | "completed" | "expired";

/** A checkout as its org's members see it on return from the payment page. */
export async function readCheckout(
  db: Db,
  userId: string,
  orgRef: OrgRef,
  checkoutId: unknown,
): Promise<{ state: CheckoutState; plan: PlanId | null } | undefined> {
  const { org } = await requireMembership(db, userId, orgRef, "billing.manage");
  if (!isUuid(checkoutId)) return undefined;
  const [row] = await db
    .select({ status: checkouts.status, plan: checkouts.plan, expired: hasExpired(checkouts.expiresAt) })
    .from(checkouts)
    .where(and(eq(checkouts.id, checkoutId), eq(checkouts.orgId, org.id)));
  if (!row) return undefined;
  return { state: row.status === "open" && row.expired ? "expired" : row.status, plan: row.plan };
}

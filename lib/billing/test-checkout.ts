import "server-only";

import { and, eq } from "drizzle-orm";

import type { Db } from "@/db";
import { checkouts, memberships, organizations, type Checkout } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { paymentProviderId } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { hasExpired } from "@/lib/core/expiry";
import { isUuid } from "@/lib/core/ids";
import { describeRetryAfter, hitRateLimit } from "@/lib/core/rate-limit";
import { inTransaction } from "@/lib/core/transaction";
import { requirePermission } from "@/lib/orgs/access";
import { isPlanId } from "@/lib/shared/plans";

import { recordUpgradeFailure } from "./apply-plan";
import { checkCard, describeCard, testCardOutcome, testCardRef } from "./cards";
import { checkoutReturnPath, completeCheckout } from "./checkouts";

const ATTEMPTS_PER_CHECKOUT_PER_HOUR = 10;
const NOT_FOUND = "This payment page does not exist, or it belongs to an organization you are not a member of.";

export interface TestCheckoutView {
  checkout: Checkout;
  orgName: string;
  /** "open" while it can be paid; a finished or stale page only offers the way back. */
  state: "open" | "completed" | "expired";
  returnPath: string;
}

/** The test payment page, for members of the checkout's org who manage its billing. */
export async function getTestCheckout(db: Db, userId: string, checkoutId: unknown): Promise<TestCheckoutView> {
  // Only while the test checkout is the configured provider: never a free way to a paid plan.
  if (!isUuid(checkoutId) || paymentProviderId() !== "test") throw new AppError("not_found", NOT_FOUND);
  const [row] = await db
    .select({ checkout: checkouts, orgName: organizations.name, role: memberships.role, stale: hasExpired(checkouts.expiresAt) })
    .from(checkouts)
    .innerJoin(organizations, eq(organizations.id, checkouts.orgId))
    .innerJoin(memberships, and(eq(memberships.orgId, checkouts.orgId), eq(memberships.userId, userId)))
    .where(and(eq(checkouts.id, checkoutId), eq(checkouts.provider, "test")));
  if (!row) throw new AppError("not_found", NOT_FOUND);
  requirePermission(row.role, "billing.manage");
  const state = row.checkout.status === "open" && row.stale ? "expired" : row.checkout.status;
  return { checkout: row.checkout, orgName: row.orgName, state, returnPath: checkoutReturnPath(row.orgName, row.checkout) };
}

/**
 * "Pays" on the test page: the card is checked as a real checkout would (Luhn,
 * expiry, CVC), then the test card decides. A decline leaves the org as it was
 * and, for an upgrade, records the failure; a success saves brand, last 4 and
 * expiry (never the number) and applies the plan. Returns where to go next.
 */
export async function payTestCheckout(
  db: Db,
  actor: Actor,
  input: { checkoutId: unknown; cardNumber: unknown; cardExpiry: unknown; cardCvc: unknown },
): Promise<{ returnPath: string; message: string }> {
  const view = await getTestCheckout(db, actor.userId, input.checkoutId);
  if (view.state !== "open") {
    throw new AppError(
      "conflict",
      view.state === "completed"
        ? "This checkout is already complete."
        : "This payment page has expired. Start again from the billing page.",
    );
  }
  // As providers do against card testing: a few attempts per payment page, then a pause.
  const attempts = await hitRateLimit(db, `test-checkout:${view.checkout.id}`, ATTEMPTS_PER_CHECKOUT_PER_HOUR, 3600);
  if (!attempts.allowed)
    throw new AppError(
      "rate_limited",
      `Too many attempts on this payment page. Try again ${describeRetryAfter(attempts.retryAfterSeconds)}.`,
    );
  const text = (value: unknown) => (typeof value === "string" ? value.slice(0, 50) : "");
  const checked = checkCard({ number: text(input.cardNumber), expiry: text(input.cardExpiry), cvc: text(input.cardCvc) });
  if (!checked.ok) throw new AppError("validation", "Check the card details.", checked.fieldErrors);

  const outcome = testCardOutcome(checked.digits);
  if (!outcome.ok) {
    const plan = view.checkout.plan;
    if (plan && isPlanId(plan)) {
      await inTransaction(db, async (tx) => {
        const [org] = await tx.select().from(organizations).where(eq(organizations.id, view.checkout.orgId)).for("update");
        if (org) await recordUpgradeFailure(tx, actor, org, plan, `${outcome.message} (${describeCard(checked.card)})`);
      });
    }
    throw new AppError("validation", outcome.message);
  }

  const completion = await inTransaction(db, (tx) =>
    completeCheckout(tx, view.checkout.id, { ...checked.card, provider: "test", providerRef: testCardRef(checked.digits) }),
  );
  if (!completion.applied) throw new AppError("conflict", "This checkout is already complete.");
  return { returnPath: checkoutReturnPath(completion.org.name, completion.checkout), message: `${describeCard(checked.card)} was saved` };
}

import "server-only";

import { eq, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { billingClock } from "@/db/schema";
import { paymentProviderId } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";

/*
 * The time billing runs on. With the built-in test provider it is the database's
 * clock plus an offset that tests (and the test-mode control on the billing page)
 * move forward, as Stripe's test clocks do, instead of waiting a month. With Stripe
 * the offset is ignored: Stripe keeps the time of real subscriptions.
 */

/** Billing's "now", read in the caller's transaction (PostgreSQL's now() is the transaction's start). */
export async function billingNow(db: Db): Promise<Date> {
  const offset = paymentProviderId() === "stripe" ? sql`0` : sql`COALESCE((SELECT offset_seconds FROM billing_clock WHERE id), 0)`;
  const [row] = await db
    .select({ ms: sql<string>`floor(extract(epoch FROM now() + make_interval(secs => ${offset})) * 1000)::bigint::text` })
    .from(sql`(SELECT 1) AS one`);
  return new Date(Number(row!.ms));
}

/** Moves the test clock forward (never back: periods already billed stay billed). Test mode only. */
export async function advanceBillingClock(db: Db, seconds: number): Promise<Date> {
  if (paymentProviderId() !== "test") throw new AppError("forbidden", "The billing clock only moves in test mode.");
  if (!Number.isInteger(seconds) || seconds <= 0 || seconds > 400 * 86_400) {
    throw new AppError("validation", "Move the clock forward by a whole number of seconds, up to 400 days.");
  }
  await db
    .insert(billingClock)
    .values({ id: true, offsetSeconds: seconds })
    .onConflictDoUpdate({ target: billingClock.id, set: { offsetSeconds: sql`${billingClock.offsetSeconds} + ${seconds}` } });
  return billingNow(db);
}

/** Puts the test clock back to real time (tests start from it). */
export async function resetBillingClock(db: Db): Promise<void> {
  await db.update(billingClock).set({ offsetSeconds: 0 }).where(eq(billingClock.id, true));
}

/** How far the test clock is ahead of real time, in seconds (0 with Stripe). */
export async function billingClockOffset(db: Db): Promise<number> {
  if (paymentProviderId() === "stripe") return 0;
  const [row] = await db.select({ offset: billingClock.offsetSeconds }).from(billingClock);
  return row?.offset ?? 0;
}

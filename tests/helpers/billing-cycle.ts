import { and, asc, eq, sql } from "drizzle-orm";

import type { Db } from "@/db/client";
import { billingClock, invoiceLines, invoices, subscriptions } from "@/db/schema";
import { advanceBillingClock } from "@/lib/billing/clock";
import { runBillingCycle } from "@/lib/billing/cycle";

/** Sets the test billing clock so that billing's "now" is `at` (tests start from a fixed date to hand-compute proration). */
export async function setBillingClock(db: Db, at: Date): Promise<void> {
  await db
    .update(billingClock)
    .set({ offsetSeconds: sql`floor(extract(epoch FROM ${at.toISOString()}::timestamptz - now()))::bigint` })
    .where(eq(billingClock.id, true));
}

export const DAY_SECONDS = 86_400;

/** The org's invoices, oldest first, each with its lines (description and amount). */
export async function invoicesOf(db: Db, orgId: string) {
  const rows = await db.select().from(invoices).where(eq(invoices.orgId, orgId)).orderBy(asc(invoices.number));
  const withLines = [];
  for (const invoice of rows) {
    const lines = await db
      .select({
        kind: invoiceLines.kind,
        description: invoiceLines.description,
        quantity: invoiceLines.quantity,
        amountCents: invoiceLines.amountCents,
      })
      .from(invoiceLines)
      .where(eq(invoiceLines.invoiceId, invoice.id))
      .orderBy(asc(invoiceLines.position));
    withLines.push({ ...invoice, lines });
  }
  return withLines;
}

export async function subscriptionOf(db: Db, orgId: string) {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.orgId, orgId)));
  return row;
}

/** Moves the test clock past the end of every current period (a month and a bit) and runs the billing cycle. */
export async function endBillingPeriod(db: Db): Promise<void> {
  await advanceBillingClock(db, 32 * DAY_SECONDS);
  await runBillingCycle(db);
}

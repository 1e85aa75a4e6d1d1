import "server-only";

import { and, eq, lte } from "drizzle-orm";

import type { Db } from "@/db";
import { invoices, subscriptions } from "@/db/schema";
import { paymentProviderId } from "@/lib/core/env";
import { errorField, log } from "@/lib/core/log";
import { inTransaction } from "@/lib/core/transaction";

import { dueRetries, lockFailedInvoices, queueRetry } from "./charges";
import { billingNow } from "./clock";
import { lockOrg, settleEndedPeriods } from "./subscriptions";

/** How many orgs one run renews, and retries it queues; the next run (minutes later) takes the rest. */
const BATCH = 500;

/**
 * The built-in billing's periodic run (`billing.cycle`, every few minutes, and the
 * test clock's control): renews every subscription whose period has ended, one
 * org per transaction under its lock, and queues the charges whose retry day has
 * come. Running it twice, or on two instances at once, bills each period once:
 * the second finds the period already advanced under the same lock.
 */
export async function runBillingCycle(db: Db): Promise<{ renewed: number; retried: number }> {
  if (paymentProviderId() !== "test") return { renewed: 0, retried: 0 };
  const now = await billingNow(db);
  const due = await db
    .select({ orgId: subscriptions.orgId })
    .from(subscriptions)
    .where(and(eq(subscriptions.status, "active"), eq(subscriptions.provider, "test"), lte(subscriptions.currentPeriodEnd, now)))
    .limit(BATCH);
  let renewed = 0;
  for (const { orgId } of due) {
    try {
      await inTransaction(db, async (tx) => {
        const org = await lockOrg(tx, orgId);
        if (org) await settleEndedPeriods(tx, org, await billingNow(tx));
      });
      renewed++;
    } catch (error) {
      // One org that cannot be renewed (rolled back whole) must not hold up the others; the next run tries again.
      log.error({ err: errorField(error), orgId }, "billing: renewal failed");
    }
  }

  let retried = 0;
  for (const invoiceId of await dueRetries(db, now, BATCH)) {
    retried += await inTransaction(db, async (tx) => {
      const [row] = await tx.select({ orgId: invoices.orgId }).from(invoices).where(eq(invoices.id, invoiceId));
      if (row) await lockOrg(tx, row.orgId);
      const [invoice] = await lockFailedInvoices(tx, [invoiceId]);
      // Another run, or a new card, queued it meanwhile: its retry date is cleared.
      if (!invoice?.nextAttemptAt || invoice.nextAttemptAt > now) return 0;
      await queueRetry(tx, invoice);
      return 1;
    });
  }
  return { renewed, retried };
}

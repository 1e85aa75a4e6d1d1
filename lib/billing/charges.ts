import "server-only";

import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { createElement } from "react";

import type { Db } from "@/db";
import { invoices, memberships, organizations, paymentMethods, users, type Invoice, type Organization } from "@/db/schema";
import InvoicePaid, { invoicePaidSubject } from "@/emails/invoice-paid";
import PaymentFailed, { paymentFailedSubject } from "@/emails/payment-failed";
import { recordActivity } from "@/lib/activity/record";
import { BILLING_SYSTEM } from "@/lib/core/actor";
import { inTransaction } from "@/lib/core/transaction";
import { appUrl } from "@/lib/core/urls";
import { enqueue } from "@/lib/jobs/queue";
import { queueEmail } from "@/lib/mail/send";
import { formatMoney } from "@/lib/shared/money";

import { getBillingDetails } from "./billing-details";
import { billingNow } from "./clock";
import { invoiceTarget } from "./invoices";
import { formatDay, formatPeriod } from "./periods";
import type { ChargeOutcome, PaymentProvider } from "./provider";
import { lockOrg } from "./subscriptions";

/**
 * Dunning: after a failed charge, retries this many days after the first failure.
 * When the last retry fails too, the org goes past due.
 */
export const DUNNING_RETRY_DAYS = [3, 5, 7] as const;

const DAY_MS = 86_400_000;

/**
 * The `billing.charge-invoice` job: charges attempt `attempt` of an invoice with
 * the org's card at this moment, then records the outcome. A job for an attempt
 * already recorded (a redelivery, or the same retry queued twice) does nothing, and
 * the provider gets one idempotency key per attempt, so a retried call charges once.
 */
export async function runInvoiceCharge(db: Db, input: { invoiceId: string; attempt: number }, provider: PaymentProvider): Promise<string> {
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, input.invoiceId));
  if (!invoice || !isChargeable(invoice, input.attempt)) return "skipped";
  const [method] = await db.select().from(paymentMethods).where(eq(paymentMethods.orgId, invoice.orgId));
  const outcome: ChargeOutcome = method
    ? await provider.chargeInvoice(
        { invoiceId: invoice.id, orgId: invoice.orgId, amountCents: invoice.totalCents, currency: invoice.currency, paymentMethod: method },
        { idempotencyKey: `invoice/${invoice.id}/attempt/${input.attempt}` },
      )
    : { ok: false, message: "There is no card on file." };
  return inTransaction(db, (tx) => recordChargeOutcome(tx, input.invoiceId, input.attempt, outcome));
}

function isChargeable(invoice: Invoice, attempt: number): boolean {
  return (invoice.status === "open" || invoice.status === "failed") && invoice.attemptCount === attempt - 1;
}

/** Records a charge's outcome under the org lock, then the invoice's: paid, or failed with the next retry or past due. */
export async function recordChargeOutcome(tx: Db, invoiceId: string, attempt: number, outcome: ChargeOutcome): Promise<string> {
  const [found] = await tx.select({ orgId: invoices.orgId }).from(invoices).where(eq(invoices.id, invoiceId));
  const org = found ? await lockOrg(tx, found.orgId) : undefined;
  const [invoice] = await tx.select().from(invoices).where(eq(invoices.id, invoiceId)).for("update");
  if (!invoice || !isChargeable(invoice, attempt)) return "skipped";
  const now = await billingNow(tx);
  if (!org) {
    // The org was deleted before its invoice was paid: nobody is left to charge, so it is voided (kept, not deleted).
    await tx.update(invoices).set({ status: "void", voidedAt: now, nextAttemptAt: null }).where(eq(invoices.id, invoice.id));
    return "void";
  }

  if (outcome.ok) {
    await recordInvoicePaid(tx, org, invoice.id, { paidAt: now, attempt });
    return "paid";
  }

  const firstFailedAt = invoice.firstFailedAt ?? now;
  const retryDays = DUNNING_RETRY_DAYS[attempt - 1];
  const nextAttemptAt = retryDays === undefined ? null : new Date(firstFailedAt.getTime() + retryDays * DAY_MS);
  await recordInvoiceFailed(tx, org, invoice.id, { attempt, firstFailedAt, nextAttemptAt, reason: outcome.message });
  return "failed";
}

/**
 * Records a failed attempt on an invoice of a locked org, from our charge or
 * Stripe's webhook: failed with its attempt and next retry, `invoice.payment_failed`,
 * the org `payment_failed` (past due, with its entry, when no retry is left), and
 * the e-mails to the owners and the billing contact.
 */
export async function recordInvoiceFailed(
  tx: Db,
  org: Organization,
  invoiceId: string,
  failure: { attempt: number; firstFailedAt: Date; nextAttemptAt: Date | null; reason: string },
): Promise<Invoice> {
  const { attempt, firstFailedAt, nextAttemptAt, reason } = failure;
  const [failed] = await tx
    .update(invoices)
    .set({ status: "failed", attemptCount: attempt, firstFailedAt, nextAttemptAt, lastError: reason.slice(0, 500) })
    .where(eq(invoices.id, invoiceId))
    .returning();
  await recordActivity(tx, {
    orgId: org.id,
    actor: BILLING_SYSTEM,
    type: "invoice.payment_failed",
    target: invoiceTarget(failed!),
    metadata: { number: failed!.number, attempt, reason, nextAttemptAt: nextAttemptAt?.toISOString() ?? null },
  });
  if (nextAttemptAt === null) await markPastDue(tx, org, { invoice: failed!.number, attempts: attempt });
  else if (org.billingState === "current") {
    await tx.update(organizations).set({ billingState: "payment_failed" }).where(eq(organizations.id, org.id));
  }
  await queuePaymentFailedEmails(tx, org, failed!, reason);
  return failed!;
}

/** Past due (Starter's limits until it pays), once, with its entry. */
export async function markPastDue(tx: Db, org: Organization, metadata: Record<string, unknown>): Promise<boolean> {
  if (org.billingState === "past_due") return false;
  await tx.update(organizations).set({ billingState: "past_due" }).where(eq(organizations.id, org.id));
  await recordActivity(tx, {
    orgId: org.id,
    actor: BILLING_SYSTEM,
    type: "subscription.past_due",
    target: { type: "subscription", id: org.id, label: org.plan },
    metadata,
  });
  return true;
}

/**
 * Records a paid invoice of a locked org, from our charge or Stripe's webhook: paid
 * with its attempt, `invoice.paid`, the receipt, and the org current again once
 * nothing is failed.
 */
export async function recordInvoicePaid(
  tx: Db,
  org: Organization,
  invoiceId: string,
  payment: { paidAt: Date; attempt: number },
): Promise<Invoice> {
  const [paid] = await tx
    .update(invoices)
    .set({ status: "paid", paidAt: payment.paidAt, attemptCount: payment.attempt, nextAttemptAt: null, lastError: null })
    .where(eq(invoices.id, invoiceId))
    .returning();
  await recordActivity(tx, {
    orgId: org.id,
    actor: BILLING_SYSTEM,
    type: "invoice.paid",
    target: invoiceTarget(paid!),
    metadata: { number: paid!.number, totalCents: paid!.totalCents, currency: paid!.currency, attempt: payment.attempt },
  });
  await queueReceiptEmail(tx, org, paid!);
  await restoreWhenSettled(tx, org);
  return paid!;
}

/** Back to `current` once no invoice of the org is failed; from past due, with an entry saying so. */
export async function restoreWhenSettled(tx: Db, org: Organization): Promise<void> {
  if (org.billingState === "current") return;
  const [unpaid] = await tx
    .select({ id: invoices.id })
    .from(invoices)
    .where(and(eq(invoices.orgId, org.id), eq(invoices.status, "failed")))
    .limit(1);
  if (unpaid) return;
  await tx.update(organizations).set({ billingState: "current" }).where(eq(organizations.id, org.id));
  if (org.billingState === "past_due") {
    await recordActivity(tx, {
      orgId: org.id,
      actor: BILLING_SYSTEM,
      type: "subscription.restored",
      target: { type: "subscription", id: org.id, label: org.plan },
    });
  }
}

/** The org's owners and its billing contact, once each. */
async function billingRecipients(tx: Db, orgId: string): Promise<string[]> {
  const owners = await tx
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
  const details = await getBillingDetails(tx, orgId);
  const all = [...(details ? [details.email] : []), ...owners.map((owner) => owner.email)];
  const seen = new Set<string>();
  return all.filter((email) => {
    const key = email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The receipt of a charged invoice, to the billing contact (the owners when the org has none). */
export async function queueReceiptEmail(tx: Db, org: Organization, invoice: Invoice): Promise<void> {
  if (invoice.totalCents === 0) return;
  const details = await getBillingDetails(tx, org.id);
  const recipients = details ? [details.email] : await billingRecipients(tx, org.id);
  const props = {
    orgName: org.name,
    invoiceNumber: invoice.number,
    amount: formatMoney(invoice.totalCents, invoice.currency),
    period: formatPeriod(invoice.periodStart, invoice.periodEnd),
    invoiceUrl: appUrl(`/orgs/${org.name}/settings/invoices/${invoice.id}`),
  };
  for (const to of recipients) {
    await queueEmail(tx, {
      template: "invoice-paid",
      to,
      subject: invoicePaidSubject(org.name, invoice.number),
      react: createElement(InvoicePaid, props),
    });
  }
}

export async function queuePaymentFailedEmails(tx: Db, org: Organization, invoice: Invoice, reason: string): Promise<void> {
  const pastDue = invoice.nextAttemptAt === null;
  const props = {
    orgName: org.name,
    invoiceNumber: invoice.number,
    amount: formatMoney(invoice.totalCents, invoice.currency),
    reason,
    nextAttempt: invoice.nextAttemptAt ? formatDay(invoice.nextAttemptAt) : null,
    billingUrl: appUrl(`/orgs/${org.name}/settings/billing`),
  };
  for (const to of await billingRecipients(tx, org.id)) {
    await queueEmail(tx, {
      template: "payment-failed",
      to,
      subject: paymentFailedSubject(org.name, pastDue),
      react: createElement(PaymentFailed, props),
    });
  }
}

/**
 * Charges the org's failed invoices again now, in the caller's transaction: a new
 * card settles them at once instead of at the next retry.
 */
export async function chargeFailedInvoicesNow(tx: Db, orgId: string): Promise<number> {
  const failed = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.orgId, orgId), eq(invoices.status, "failed")))
    .for("update");
  for (const invoice of failed) await queueRetry(tx, invoice);
  return failed.length;
}

/** Queues the next attempt of a failed invoice and clears its retry date, so it is queued once. */
export async function queueRetry(tx: Db, invoice: Invoice): Promise<void> {
  await tx.update(invoices).set({ nextAttemptAt: null }).where(eq(invoices.id, invoice.id));
  await enqueue(tx, "billing.charge-invoice", { invoiceId: invoice.id, attempt: invoice.attemptCount + 1 });
}

/** Failed invoices whose retry day has come (the cycle queues them). */
export async function dueRetries(db: Db, now: Date, limit = 200): Promise<string[]> {
  const rows = await db
    .select({ id: invoices.id })
    .from(invoices)
    .where(
      and(
        eq(invoices.status, "failed"),
        sql`${invoices.nextAttemptAt} <= ${now.toISOString()}::timestamptz`,
        ne(invoices.provider, "stripe"),
      ),
    )
    .limit(limit);
  return rows.map((row) => row.id);
}

export async function lockFailedInvoices(tx: Db, ids: string[]): Promise<Invoice[]> {
  if (!ids.length) return [];
  return tx
    .select()
    .from(invoices)
    .where(and(inArray(invoices.id, ids), eq(invoices.status, "failed")))
    .for("update");
}

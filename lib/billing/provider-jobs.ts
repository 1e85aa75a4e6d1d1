import "server-only";

import { eq } from "drizzle-orm";

import type { Db } from "@/db";
import { billingDetails } from "@/db/schema";
import { enqueue } from "@/lib/jobs/queue";

import { paymentProvider, type PaymentProvider } from "./provider";

/*
 * The payment provider hears of our changes through jobs queued in the same
 * transaction as the change: a rollback tells it nothing, a commit always does,
 * retried through an outage. Each call is safe to repeat: Stripe gets the job's
 * id as idempotency key, and "already gone" counts as done.
 */

/** Copies the org's billing information to its customer (for its invoices). */
export function queueCustomerUpdate(tx: Db, input: { orgId: string; customerId: string }): Promise<string> {
  return enqueue(tx, "stripe.customer-update", input);
}

/** Deletes the customer (and its saved cards) of a deleted org. */
export function queueCustomerDeletion(tx: Db, customerId: string): Promise<string> {
  return enqueue(tx, "stripe.customer-delete", { customerId });
}

/** Forgets a replaced or removed card. */
export function queuePaymentMethodDetach(tx: Db, providerRef: string): Promise<string> {
  return enqueue(tx, "stripe.payment-method-detach", { providerRef });
}

export async function runCustomerUpdate(db: Db, input: { orgId: string; customerId: string; jobId: string }, provider = paymentProvider()) {
  // The billing information as it is now: a later change queued its own update, and both send the latest.
  const [details] = await db.select().from(billingDetails).where(eq(billingDetails.orgId, input.orgId));
  if (!details) return;
  await provider.updateCustomer(input.customerId, details, { idempotencyKey: `job/${input.jobId}` });
}

export async function runCustomerDeletion(input: { customerId: string; jobId: string }, provider: PaymentProvider = paymentProvider()) {
  await provider.deleteCustomer(input.customerId, { idempotencyKey: `job/${input.jobId}` });
}

export async function runPaymentMethodDetach(input: { providerRef: string; jobId: string }, provider: PaymentProvider = paymentProvider()) {
  await provider.detachPaymentMethod(input.providerRef, { idempotencyKey: `job/${input.jobId}` });
}

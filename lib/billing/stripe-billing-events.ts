import "server-only";

import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";

import type { Db } from "@/db";
import { invoiceLines, invoices, organizations, subscriptions, type Invoice, type InvoiceBillTo, type Organization } from "@/db/schema";
import { recordActivity } from "@/lib/activity/record";
import { BILLING_SYSTEM } from "@/lib/core/actor";
import { isUuid } from "@/lib/core/ids";
import { enqueue } from "@/lib/jobs/queue";
import { isPlanId, type PlanId } from "@/lib/shared/plans";

import { applyPlan } from "./apply-plan";
import { addresseeOf, getBillingDetails } from "./billing-details";
import { markPastDue, recordInvoiceFailed, recordInvoicePaid, restoreWhenSettled } from "./charges";
import { invoiceTarget, type DraftLine } from "./invoices";
import { lockOrg, lockSubscription } from "./subscriptions";
import { taxFor } from "./tax";

/*
 * What Stripe Billing tells us through the webhook, applied in the webhook's
 * transaction (stripe-webhook.ts records the event id in it, so a redelivery
 * changes nothing): invoices copied into ours once finalized, their payment
 * outcomes, and the end of a subscription. Each change records its activity
 * entry and takes the org row lock first, as the built-in billing does.
 */

export const STRIPE_BILLING_EVENTS: readonly string[] = [
  "invoice.created",
  "invoice.finalized",
  "invoice.paid",
  "invoice.payment_failed",
  "invoice.voided",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
];

const PROVIDER = "stripe";
const PAYMENT_FAILED_REASON = "Stripe could not charge the card on file.";

const idOf = (value: string | { id: string } | null | undefined) => (typeof value === "string" ? value : value?.id);
const dateOf = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000) : undefined);

/** An invoice event's lines when the event carries only the first page (read before the transaction: no network call under locks). */
export async function invoiceLinesOf(stripe: Stripe, event: Stripe.Event): Promise<Stripe.InvoiceLineItem[] | undefined> {
  if (!event.type.startsWith("invoice.")) return undefined;
  const invoice = event.data.object as Stripe.Invoice;
  if (invoice.status === "draft" || !invoice.lines?.has_more) return undefined;
  const lines: Stripe.InvoiceLineItem[] = [];
  for await (const line of stripe.invoices.listLineItems(invoice.id!, { limit: 100 })) lines.push(line);
  return lines;
}

/** The org a Stripe object belongs to, locked: by its `org_id` metadata checked against the customer, else by the customer. */
async function lockOrgOf(tx: Db, customer: Stripe.Invoice["customer"], orgIdHint: string | undefined): Promise<Organization | undefined> {
  const customerId = idOf(customer);
  if (!customerId) return undefined;
  // Found first, locked once: the webhook's transaction holds one org row, as every other path does.
  const byHint = isUuid(orgIdHint) ? and(eq(organizations.id, orgIdHint), eq(organizations.providerCustomerId, customerId)) : undefined;
  let [found] = byHint ? await tx.select({ id: organizations.id }).from(organizations).where(byHint) : [];
  if (!found) {
    [found] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.providerCustomerId, customerId))
      .limit(1);
  }
  const org = found ? await lockOrg(tx, found.id) : undefined;
  return org?.providerCustomerId === customerId ? org : undefined;
}

/** Applies one Stripe Billing event; "ignored" when it is not about one of our orgs or changes nothing. */
export async function applyStripeBillingEvent(
  tx: Db,
  event: Stripe.Event,
  prefetchedLines: Stripe.InvoiceLineItem[] | undefined,
): Promise<"applied" | "ignored"> {
  if (event.type.startsWith("invoice.")) return applyInvoiceEvent(tx, event.type, event.data.object as Stripe.Invoice, prefetchedLines);
  return applySubscriptionEvent(tx, event.type, event.data.object as Stripe.Subscription);
}

// ---------------------------------------------------------------------------
// Invoices

async function applyInvoiceEvent(
  tx: Db,
  type: string,
  invoice: Stripe.Invoice,
  prefetchedLines: Stripe.InvoiceLineItem[] | undefined,
): Promise<"applied" | "ignored"> {
  const org = await lockOrgOf(tx, invoice.customer, invoice.parent?.subscription_details?.metadata?.org_id ?? invoice.metadata?.org_id);
  if (!org || !invoice.id) return "ignored";
  if (invoice.status === "draft") {
    // A renewal's draft waits for us (an hour, or until this webhook answers): the ended period's usage goes on it.
    if (type !== "invoice.created" || invoice.billing_reason !== "subscription_cycle") return "ignored";
    await enqueue(tx, "stripe.invoice-usage", { orgId: org.id, providerInvoiceId: invoice.id });
    return "applied";
  }

  let changed = false;
  let [row] = await tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.provider, PROVIDER), eq(invoices.providerInvoiceId, invoice.id)))
    .for("update");
  if (!row) {
    row = await copyInvoice(tx, org, invoice, prefetchedLines ?? invoice.lines?.data ?? []);
    changed = true;
  }
  if (invoice.status === "paid" || type === "invoice.paid") changed = (await markPaid(tx, org, row, invoice)) || changed;
  else if (type === "invoice.payment_failed") changed = (await markFailed(tx, org, row, invoice)) || changed;
  else if (invoice.status === "void") changed = (await markVoid(tx, org, row, invoice)) || changed;
  return changed ? "applied" : "ignored";
}

function kindOf(invoice: Stripe.Invoice): Invoice["kind"] {
  if (invoice.billing_reason === "subscription_create" || invoice.billing_reason === "subscription_cycle") return "period";
  if (invoice.billing_reason === "subscription_update") return "proration";
  return "final";
}

function lineKind(line: Stripe.InvoiceLineItem): DraftLine["kind"] {
  const parent = line.parent;
  if (parent?.subscription_item_details?.proration || parent?.invoice_item_details?.proration) return "proration";
  if (line.metadata?.kind === "usage") return "usage";
  return line.amount < 0 ? "credit" : "plan";
}

function draftLine(line: Stripe.InvoiceLineItem): DraftLine {
  const kind = lineKind(line);
  const quantity = kind === "usage" ? Number(line.metadata?.billable_hours ?? 0) : (line.quantity ?? 1);
  const unit =
    kind === "usage" ? Number(line.metadata?.unit_amount_cents ?? 0) : quantity > 0 ? Math.round(line.amount / quantity) : line.amount;
  return { kind, description: line.description ?? "", quantity, unitAmountCents: unit, amountCents: line.amount };
}

/**
 * The period an invoice bills: a plan's period for a subscription's invoice (its
 * plan lines, not the ended period its usage covers), the changed days for a
 * proration, else Stripe's own period.
 */
function periodOf(invoice: Stripe.Invoice, kind: Invoice["kind"], lines: Stripe.InvoiceLineItem[]): { start: Date; end: Date } {
  const billed =
    kind === "period"
      ? lines.filter((line) => line.parent?.type === "subscription_item_details" && lineKind(line) === "plan")
      : kind === "proration"
        ? lines
        : [];
  if (billed.length) {
    return {
      start: new Date(Math.min(...billed.map((line) => line.period.start)) * 1000),
      end: new Date(Math.max(...billed.map((line) => line.period.end)) * 1000),
    };
  }
  return { start: new Date(invoice.period_start * 1000), end: new Date(invoice.period_end * 1000) };
}

/**
 * Copies a finalized Stripe invoice into ours, as issueInvoice does (a draft with
 * its lines, then issued, after which the trigger keeps it): Stripe's number,
 * lines and amounts in integer cents, never recomputed, so our copy says what
 * Stripe charges. Tax is Stripe's (`total_taxes`), which applies our own rate
 * (stripe-billing.ts `taxRatesFor`); the label and rate are our decision for the
 * address. Records `invoice.issued`.
 */
async function copyInvoice(tx: Db, org: Organization, invoice: Stripe.Invoice, lines: Stripe.InvoiceLineItem[]): Promise<Invoice> {
  const details = await getBillingDetails(tx, org.id);
  const address = invoice.customer_address;
  const billTo: InvoiceBillTo = details
    ? addresseeOf(details)
    : {
        name: invoice.customer_name ?? org.name,
        email: invoice.customer_email ?? "",
        addressLine1: address?.line1 ?? "",
        addressLine2: address?.line2 ?? null,
        city: address?.city ?? "",
        postalCode: address?.postal_code ?? "",
        country: address?.country ?? "",
        taxId: null,
      };
  const taxCents = (invoice.total_taxes ?? []).reduce((sum, tax) => sum + tax.amount, 0);
  const decision = taxFor(billTo);
  const tax =
    taxCents > 0
      ? decision.basisPoints > 0
        ? decision
        : { basisPoints: 0, label: "Tax", reverseCharge: false }
      : decision.reverseCharge
        ? decision
        : { basisPoints: 0, label: "No tax", reverseCharge: false };
  const kind = kindOf(invoice);
  const period = periodOf(invoice, kind, lines);
  const [sub] = await tx.select({ plan: subscriptions.plan }).from(subscriptions).where(eq(subscriptions.orgId, org.id));
  const plan: PlanId = sub && isPlanId(sub.plan) ? sub.plan : org.plan;
  const issuedAt = dateOf(invoice.status_transitions?.finalized_at) ?? dateOf(invoice.created) ?? new Date();

  // Stripe's number, unless one of ours (or an earlier copy) already has it: numbers are unique.
  const wanted = invoice.number ?? invoice.id!;
  const [taken] = await tx.select({ id: invoices.id }).from(invoices).where(eq(invoices.number, wanted));
  const [draft] = await tx
    .insert(invoices)
    .values({
      number: taken ? `${wanted} (${invoice.id})` : wanted,
      orgId: org.id,
      orgName: org.name,
      kind,
      plan,
      currency: invoice.currency,
      periodStart: period.start,
      periodEnd: period.end,
      subtotalCents: invoice.subtotal,
      taxCents,
      totalCents: invoice.total,
      taxRateBasisPoints: tax.basisPoints,
      taxLabel: tax.label,
      reverseCharge: tax.reverseCharge,
      billTo,
      provider: PROVIDER,
      providerInvoiceId: invoice.id,
    })
    .returning();
  if (lines.length) {
    await tx.insert(invoiceLines).values(lines.map((line, position) => ({ ...draftLine(line), invoiceId: draft!.id, position })));
  }
  const [issued] = await tx.update(invoices).set({ status: "open", issuedAt }).where(eq(invoices.id, draft!.id)).returning();
  await recordActivity(tx, {
    orgId: org.id,
    actor: BILLING_SYSTEM,
    type: "invoice.issued",
    target: invoiceTarget(issued!),
    metadata: { number: issued!.number, kind: issued!.kind, totalCents: issued!.totalCents, currency: issued!.currency },
  });
  return issued!;
}

async function markPaid(tx: Db, org: Organization, row: Invoice, invoice: Stripe.Invoice): Promise<boolean> {
  if (row.status !== "open" && row.status !== "failed") return false;
  const paidAt = dateOf(invoice.status_transitions?.paid_at) ?? new Date();
  const attempt = Math.max(invoice.attempt_count ?? 0, row.attemptCount);
  await recordInvoicePaid(tx, org, row.id, { paidAt, attempt });
  return true;
}

/**
 * A failed attempt, as charges.ts records ours: the invoice failed with Stripe's
 * attempt count and next retry, the org `payment_failed`, the owners and the
 * billing contact e-mailed; when Stripe will not retry (no next attempt), the org
 * is past due with Starter's limits. An older attempt arriving late changes nothing.
 */
async function markFailed(tx: Db, org: Organization, row: Invoice, invoice: Stripe.Invoice): Promise<boolean> {
  const attempt = invoice.attempt_count ?? row.attemptCount + 1;
  if ((row.status !== "open" && row.status !== "failed") || attempt <= row.attemptCount) return false;
  await recordInvoiceFailed(tx, org, row.id, {
    attempt,
    firstFailedAt: row.firstFailedAt ?? new Date(),
    nextAttemptAt: dateOf(invoice.next_payment_attempt) ?? null,
    reason: PAYMENT_FAILED_REASON,
  });
  return true;
}

/** Voided at Stripe (nothing is owed on it any more): void here, and the org current again once nothing is failed. */
async function markVoid(tx: Db, org: Organization, row: Invoice, invoice: Stripe.Invoice): Promise<boolean> {
  if (row.status !== "open" && row.status !== "failed") return false;
  const voidedAt = dateOf(invoice.status_transitions?.voided_at) ?? new Date();
  const [voided] = await tx
    .update(invoices)
    .set({ status: "void", voidedAt, nextAttemptAt: null })
    .where(eq(invoices.id, row.id))
    .returning();
  await recordActivity(tx, {
    orgId: org.id,
    actor: BILLING_SYSTEM,
    type: "invoice.voided",
    target: invoiceTarget(voided!),
    metadata: { number: voided!.number, totalCents: voided!.totalCents, currency: voided!.currency },
  });
  await restoreWhenSettled(tx, org);
  return true;
}

// ---------------------------------------------------------------------------
// Subscriptions

/**
 * Stripe's side of the org's subscription: its id (when the sync job's answer has
 * not landed yet) and its period; `unpaid` (Stripe gave up retrying) is past due,
 * `active` again restores the org once no invoice is failed; ended (deleted,
 * `canceled`, an `incomplete_expired` first payment) returns the org to Starter.
 * What the org wants (its plan, a cancellation at the period's end) stays ours:
 * an event never rewrites it, so a late event cannot undo a change made since.
 * Events of a subscription that is not the org's current one are ignored.
 */
async function applySubscriptionEvent(tx: Db, type: string, sub: Stripe.Subscription): Promise<"applied" | "ignored"> {
  const org = await lockOrgOf(tx, sub.customer, sub.metadata?.org_id);
  if (!org) return "ignored";
  const row = await lockSubscription(tx, org.id);
  if (!row || row.provider !== PROVIDER) return "ignored";
  const ended = type === "customer.subscription.deleted" || sub.status === "canceled" || sub.status === "incomplete_expired";

  if (row.providerSubscriptionId !== sub.id) {
    // Ours before the sync job stored its id: the live row waiting for one, and a subscription of this org by its metadata.
    const adoptable = !row.providerSubscriptionId && row.status === "active" && sub.metadata?.org_id === org.id && !ended;
    if (!adoptable) return "ignored";
  }
  if (row.status !== "active") return "ignored";

  if (ended) {
    await tx
      .update(subscriptions)
      .set({ status: "canceled", cancelAtPeriodEnd: false, updatedAt: sql`now()` })
      .where(eq(subscriptions.orgId, org.id));
    // The last period's app-hours are billed on a final invoice (Stripe bills the plan in advance: nothing else would).
    if (sub.status === "canceled") await enqueue(tx, "stripe.final-invoice", { orgId: org.id, providerSubscriptionId: sub.id });
    if (org.plan !== "starter") {
      const reason = sub.cancellation_details?.reason === "payment_failed" ? "payment_failed" : "cancelled";
      const endedAt = dateOf(sub.ended_at) ?? new Date();
      await applyPlan(tx, BILLING_SYSTEM, org, "starter", { checkFit: false, metadata: { reason, endedAt: endedAt.toISOString() } });
    }
    return "applied";
  }

  const item = sub.items?.data?.[0];
  const start = dateOf(item?.current_period_start);
  const end = dateOf(item?.current_period_end);
  const advanced = start !== undefined && start.getTime() > row.currentPeriodStart.getTime();
  const periodChanged =
    !!(start && end) && (start.getTime() !== row.currentPeriodStart.getTime() || end.getTime() !== row.currentPeriodEnd.getTime());
  let changed = row.providerSubscriptionId !== sub.id || periodChanged;
  if (changed) {
    await tx
      .update(subscriptions)
      .set({
        providerSubscriptionId: sub.id,
        anchorAt: dateOf(sub.billing_cycle_anchor) ?? row.anchorAt,
        ...(start && end ? { currentPeriodStart: start, currentPeriodEnd: end } : {}),
        ...(advanced ? { periodNumber: row.periodNumber + 1 } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(subscriptions.orgId, org.id));
  }
  if (sub.status === "unpaid") changed = (await markPastDue(tx, org, { subscription: sub.id, status: sub.status })) || changed;
  else if (sub.status === "active" && org.billingState !== "current") {
    await restoreWhenSettled(tx, org);
    const [after] = await tx.select({ billingState: organizations.billingState }).from(organizations).where(eq(organizations.id, org.id));
    changed = after?.billingState !== org.billingState || changed;
  }
  return changed ? "applied" : "ignored";
}

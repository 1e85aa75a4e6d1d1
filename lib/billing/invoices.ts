import "server-only";

import { and, asc, desc, eq, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { invoiceLines, invoiceNumbers, invoices, pendingInvoiceItems, type Invoice, type InvoiceLine } from "@/db/schema";
import { recordActivity } from "@/lib/activity/record";
import type { Actor, SystemActor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { isUuid } from "@/lib/core/ids";
import { enqueue } from "@/lib/jobs/queue";
import { requireMembership, type OrgRef } from "@/lib/orgs/access";
import { formatMoney } from "@/lib/shared/money";
import { CURRENCY, type PlanId } from "@/lib/shared/plans";

import { addresseeOf, getBillingDetails } from "./billing-details";
import { taxAmount, taxFor } from "./tax";

export interface DraftLine {
  kind: InvoiceLine["kind"];
  description: string;
  quantity: number;
  unitAmountCents: number;
  amountCents: number;
}

/** A line of one amount (quantity 1). */
export function singleLine(kind: DraftLine["kind"], description: string, amountCents: number): DraftLine {
  return { kind, description, quantity: 1, unitAmountCents: amountCents, amountCents };
}

export const CREDIT_CARRIED = "Credit carried to the next invoice";

async function nextInvoiceNumber(tx: Db): Promise<string> {
  // The counter row is held until the transaction ends: numbers have no gaps, and a rollback returns its number.
  const [row] = await tx
    .insert(invoiceNumbers)
    .values({ id: true, last: 1 })
    .onConflictDoUpdate({ target: invoiceNumbers.id, set: { last: sql`${invoiceNumbers.last} + 1` } })
    .returning({ last: invoiceNumbers.last });
  return `INV-${String(row!.last).padStart(6, "0")}`;
}

/** Moves the org's pending credits and charges onto a new invoice's lines (they are deleted as pending). */
export async function takePendingItems(tx: Db, orgId: string): Promise<DraftLine[]> {
  const taken = await tx.delete(pendingInvoiceItems).where(eq(pendingInvoiceItems.orgId, orgId)).returning();
  return taken
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.amountCents - b.amountCents)
    .map((item) => singleLine(item.kind, item.description, item.amountCents));
}

export interface IssueInput {
  org: { id: string; name: string };
  kind: Invoice["kind"];
  plan: PlanId;
  periodStart: Date;
  periodEnd: Date;
  lines: DraftLine[];
  provider: string;
  now: Date;
  actor: Actor | SystemActor;
  /** Record an `invoice.issued` entry (a renewal); a plan change's own entry names its invoice instead. */
  recordIssued: boolean;
}

/**
 * Issues an invoice in the caller's transaction: written as a draft with its
 * lines, then finalized (its number taken, tax and totals computed in integer
 * cents), after which a trigger keeps it as it is. A credit larger than the
 * charges leaves a zero invoice and carries the rest to the next one. A zero
 * invoice is paid at once; any other is charged by a job of this transaction.
 */
export async function issueInvoice(tx: Db, input: IssueInput): Promise<Invoice> {
  const details = await getBillingDetails(tx, input.org.id);
  if (!details) throw new AppError("conflict", "Add the billing information first: invoices are addressed with it.");
  const billTo = addresseeOf(details);
  const lines = [...input.lines];
  let subtotal = lines.reduce((sum, line) => sum + line.amountCents, 0);
  if (subtotal < 0) {
    lines.push(singleLine("credit", CREDIT_CARRIED, -subtotal));
    await tx
      .insert(pendingInvoiceItems)
      .values({ orgId: input.org.id, kind: "credit", description: "Credit from a previous invoice", amountCents: subtotal });
    subtotal = 0;
  }
  const tax = taxFor(billTo);
  const taxCents = taxAmount(subtotal, tax);
  const [draft] = await tx
    .insert(invoices)
    .values({
      number: await nextInvoiceNumber(tx),
      orgId: input.org.id,
      orgName: input.org.name,
      kind: input.kind,
      plan: input.plan,
      currency: CURRENCY,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      subtotalCents: subtotal,
      taxCents,
      totalCents: subtotal + taxCents,
      taxRateBasisPoints: tax.basisPoints,
      taxLabel: tax.label,
      reverseCharge: tax.reverseCharge,
      billTo,
      provider: input.provider,
    })
    .returning();
  if (lines.length) await tx.insert(invoiceLines).values(lines.map((line, position) => ({ ...line, invoiceId: draft!.id, position })));
  const paidAtOnce = draft!.totalCents === 0;
  const [issued] = await tx
    .update(invoices)
    .set({ status: paidAtOnce ? "paid" : "open", issuedAt: input.now, ...(paidAtOnce ? { paidAt: input.now } : {}) })
    .where(eq(invoices.id, draft!.id))
    .returning();
  if (input.recordIssued) {
    await recordActivity(tx, {
      orgId: input.org.id,
      actor: input.actor,
      type: "invoice.issued",
      target: invoiceTarget(issued!),
      metadata: { number: issued!.number, kind: issued!.kind, totalCents: issued!.totalCents, currency: issued!.currency },
    });
  }
  if (!paidAtOnce) await enqueue(tx, "billing.charge-invoice", { invoiceId: issued!.id, attempt: 1 });
  return issued!;
}

/** How activity entries name an invoice: "INV-000042 ($34.51)". */
export function invoiceTarget(invoice: Pick<Invoice, "id" | "number" | "totalCents" | "currency">) {
  return { type: "invoice", id: invoice.id, label: `${invoice.number} (${formatMoney(invoice.totalCents, invoice.currency)})` };
}

export type InvoiceSummary = Pick<
  Invoice,
  "id" | "number" | "kind" | "status" | "currency" | "periodStart" | "periodEnd" | "totalCents" | "issuedAt" | "paidAt" | "nextAttemptAt"
>;

const NOT_FOUND = "This invoice does not exist, or it belongs to another organization.";

/** The org's invoices, newest first (billing managers and owners). */
export async function listInvoices(db: Db, userId: string, orgRef: OrgRef, options: { limit?: number } = {}): Promise<InvoiceSummary[]> {
  const { org } = await requireMembership(db, userId, orgRef, "billing.manage");
  return db
    .select({
      id: invoices.id,
      number: invoices.number,
      kind: invoices.kind,
      status: invoices.status,
      currency: invoices.currency,
      periodStart: invoices.periodStart,
      periodEnd: invoices.periodEnd,
      totalCents: invoices.totalCents,
      issuedAt: invoices.issuedAt,
      paidAt: invoices.paidAt,
      nextAttemptAt: invoices.nextAttemptAt,
    })
    .from(invoices)
    .where(eq(invoices.orgId, org.id))
    .orderBy(desc(invoices.createdAt), desc(invoices.number))
    .limit(Math.min(options.limit ?? 120, 500));
}

/** One invoice of the org with its lines, for its page, its PDF and the API. */
export async function getInvoice(
  db: Db,
  userId: string,
  orgRef: OrgRef,
  invoiceId: unknown,
): Promise<{ invoice: Invoice; lines: InvoiceLine[] }> {
  const { org } = await requireMembership(db, userId, orgRef, "billing.manage");
  if (!isUuid(invoiceId)) throw new AppError("not_found", NOT_FOUND);
  const [invoice] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, invoiceId), eq(invoices.orgId, org.id)));
  if (!invoice) throw new AppError("not_found", NOT_FOUND);
  const lines = await db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoice.id)).orderBy(asc(invoiceLines.position));
  return { invoice, lines };
}

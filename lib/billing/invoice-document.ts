import "server-only";

import type { Invoice, InvoiceLine } from "@/db/schema";
import { countryName } from "@/lib/shared/countries";
import { formatMoney } from "@/lib/shared/money";

import { formatDay, formatPeriod } from "./periods";
import { REVERSE_CHARGE_NOTE, SELLER_COUNTRY } from "./tax";

/*
 * An invoice written out for people: the same strings on its page and in its
 * PDF, so the two never disagree.
 */

/** Who invoices: the seller block of every invoice (its country is the one tax is decided from). */
export const SELLER = {
  name: "Cloud Console Ltd",
  lines: ["Dublin", countryName(SELLER_COUNTRY)],
  country: SELLER_COUNTRY,
} as const;

const KIND_LABELS: Record<Invoice["kind"], string> = {
  period: "Subscription",
  proration: "Plan change",
  final: "Final invoice",
};

export function invoiceKindLabel(kind: Invoice["kind"]): string {
  return KIND_LABELS[kind];
}

const STATUS_LABELS: Record<Invoice["status"], string> = {
  draft: "Draft",
  open: "Open",
  paid: "Paid",
  failed: "Payment failed",
  void: "Void",
};

export interface InvoiceDocument {
  number: string;
  kind: string;
  status: Invoice["status"];
  statusLabel: string;
  /** "Paid on Dec 30, 2026", "Retry on …", or null. */
  statusDetail: string | null;
  issued: string;
  period: string;
  seller: { name: string; lines: string[] };
  billTo: { name: string; lines: string[]; email: string; taxId: string | null };
  lines: { description: string; quantity: string; unit: string; amount: string }[];
  subtotal: string;
  taxLabel: string;
  tax: string;
  total: string;
  reverseChargeNote: string | null;
}

/** An invoice and its lines as its page and its PDF show them. */
export function invoiceDocument(invoice: Invoice, lines: InvoiceLine[]): InvoiceDocument {
  const money = (cents: number) => formatMoney(cents, invoice.currency);
  const { billTo } = invoice;
  let statusDetail: string | null = null;
  if (invoice.status === "paid" && invoice.paidAt) statusDetail = `Paid on ${formatDay(invoice.paidAt)}`;
  else if (invoice.status === "failed") {
    statusDetail = invoice.nextAttemptAt
      ? `The payment failed; it is retried on ${formatDay(invoice.nextAttemptAt)}`
      : "The payment failed and will not be retried: replace the card to pay it";
  } else if (invoice.status === "void" && invoice.voidedAt) statusDetail = `Voided on ${formatDay(invoice.voidedAt)}`;
  return {
    number: invoice.number,
    kind: invoiceKindLabel(invoice.kind),
    status: invoice.status,
    statusLabel: STATUS_LABELS[invoice.status],
    statusDetail,
    issued: formatDay(invoice.issuedAt ?? invoice.createdAt),
    period: invoice.kind === "final" ? `Ended ${formatDay(invoice.periodEnd)}` : formatPeriod(invoice.periodStart, invoice.periodEnd),
    seller: { name: SELLER.name, lines: [...SELLER.lines] },
    billTo: {
      name: billTo.name,
      lines: [
        billTo.addressLine1,
        ...(billTo.addressLine2 ? [billTo.addressLine2] : []),
        `${billTo.postalCode} ${billTo.city}`.trim(),
        countryName(billTo.country),
      ],
      email: billTo.email,
      taxId: billTo.taxId,
    },
    lines: lines.map((line) => ({
      description: line.description,
      quantity: line.quantity.toLocaleString("en-US"),
      unit: money(line.unitAmountCents),
      amount: money(line.amountCents),
    })),
    subtotal: money(invoice.subtotalCents),
    taxLabel: invoice.taxLabel || "Tax",
    tax: money(invoice.taxCents),
    total: money(invoice.totalCents),
    reverseChargeNote: invoice.reverseCharge ? REVERSE_CHARGE_NOTE : null,
  };
}

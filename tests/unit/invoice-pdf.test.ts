import { PDFDocument, StandardFonts } from "pdf-lib";
import { describe, expect, it } from "vitest";

import type { InvoiceDocument } from "@/lib/billing/invoice-document";
import { pdfSafeText, renderInvoicePdf } from "@/lib/billing/invoice-pdf";

/*
 * Invoice PDFs are drawn with a standard font, which knows WinAnsi only: every
 * character it lacks must be mapped before drawing, or pdf-lib throws and the
 * download fails. Amounts carry a real minus sign ("−$4.84"), which WinAnsi lacks.
 */
async function helveticaCharacters(): Promise<Set<number>> {
  const pdf = await PDFDocument.create();
  return new Set((await pdf.embedFont(StandardFonts.Helvetica)).getCharacterSet());
}

function invoice(overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    number: "INV-000042",
    kind: "Subscription",
    status: "paid",
    statusLabel: "Paid",
    statusDetail: "Paid on Dec 30, 2026",
    issued: "Dec 30, 2026",
    period: "Dec 30, 2026 – Jan 30, 2027",
    seller: { name: "Cloud Console Ltd", lines: ["Dublin", "Ireland"] },
    billTo: { name: "Łódź Café GmbH", lines: ["Hauptstraße 1", "10115 Berlin", "Germany"], email: "ap@example.test", taxId: "DE123456789" },
    lines: [
      { description: "Pro plan, Dec 30, 2026 – Jan 30, 2027", quantity: "1", unit: "$29.00", amount: "$29.00" },
      { description: "Unused time on Scale (16 of 31 days) • credit → next invoice", quantity: "1", unit: "−$154.32", amount: "−$154.32" },
      { description: "Euro line €12 × 3 ≤ budget, 東京 office", quantity: "3", unit: "€12.00", amount: "€36.00" },
    ],
    subtotal: "$0.00",
    taxLabel: "Reverse charge",
    tax: "$0.00",
    total: "$0.00",
    reverseChargeNote: "VAT reverse charge: the customer accounts for VAT (Article 196, Directive 2006/112/EC).",
    ...overrides,
  };
}

describe("invoice PDF", () => {
  it("keeps what WinAnsi has (en dash, euro, bullet, times, accents) and maps what it lacks", async () => {
    const supported = await helveticaCharacters();
    expect(pdfSafeText("Dec 30 – Jan 30 • €12 × 3 · Café", supported)).toBe("Dec 30 – Jan 30 • €12 × 3 · Café");
    expect(pdfSafeText("−$4.84", supported)).toBe("-$4.84");
    expect(pdfSafeText("a → b ≤ c", supported)).toBe("a -> b <= c");
    // Letters with a decomposition lose the accent WinAnsi lacks; the rest become "?".
    expect(pdfSafeText("Łódź Dvořák 東京", supported)).toBe("Lódz Dvorák ??");
  });

  it("renders an invoice with those characters to a PDF that opens again", async () => {
    const bytes = await renderInvoicePdf(invoice(), { currency: "usd", issuedAt: new Date("2026-12-30T10:00:00Z") });
    expect(Buffer.from(bytes.slice(0, 5)).toString("latin1")).toBe("%PDF-");
    const reopened = await PDFDocument.load(bytes);
    expect(reopened.getPageCount()).toBe(1);
    expect(reopened.getTitle()).toBe("Invoice INV-000042");
  });

  it("runs onto more pages when the lines do not fit on one", async () => {
    const lines = Array.from({ length: 80 }, (_, i) => ({
      description: `Line ${i + 1}: a long description that wraps onto a second line in the PDF because it is long`,
      quantity: "1",
      unit: "$1.00",
      amount: "$1.00",
    }));
    const bytes = await renderInvoicePdf(invoice({ lines }), { currency: "usd", issuedAt: new Date() });
    expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThan(1);
  });
});

import { getDb } from "@/db";
import { invoiceDocument } from "@/lib/billing/invoice-document";
import { renderInvoicePdf } from "@/lib/billing/invoice-pdf";
import { getInvoice } from "@/lib/billing/invoices";
import { isAppError } from "@/lib/core/errors";
import { getCurrentUser } from "@/lib/next/session";

export const dynamic = "force-dynamic";

/** An invoice as a PDF download, for the org's owners and billing managers. */
export async function GET(_request: Request, { params }: { params: Promise<{ org: string; id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return new Response("Sign in to continue.", { status: 401 });
  const { org, id } = await params;
  let found;
  try {
    found = await getInvoice(await getDb(), user.id, { name: decodeURIComponent(org) }, id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return new Response(error.message, { status: 404 });
    if (isAppError(error) && error.code === "forbidden") return new Response(error.message, { status: 403 });
    throw error;
  }
  const bytes = await renderInvoicePdf(invoiceDocument(found.invoice, found.lines), {
    currency: found.invoice.currency,
    issuedAt: found.invoice.issuedAt ?? found.invoice.createdAt,
  });
  // Invoice numbers are INV-000042: safe in a header as they are.
  const filename = `${found.invoice.number.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf`;
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

import { Download } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { PrintButton } from "@/components/billing/print-button";
import { InvoiceStatusBadge } from "@/components/billing/status-badge";
import { buttonClass } from "@/components/ui/button-class";
import { Card } from "@/components/ui/card";
import { PermissionNote } from "@/components/ui/permission-note";
import { getDb } from "@/db";
import { invoiceDocument } from "@/lib/billing/invoice-document";
import { getInvoice } from "@/lib/billing/invoices";
import { isAppError } from "@/lib/core/errors";
import { requireOrgAccess } from "@/lib/next/org-access";
import { can } from "@/lib/shared/roles";

export const metadata: Metadata = { title: "Invoice" };

type Props = { params: Promise<{ org: string; id: string }> };

export default async function InvoicePage({ params }: Props) {
  const { org: orgParam, id } = await params;
  const access = await requireOrgAccess(orgParam, "/settings/invoices");
  const { org, user, role } = access;
  if (!can(role, "billing.manage")) {
    return (
      <div className="max-w-2xl">
        <Card title="Invoice">
          <PermissionNote permission="billing.manage" />
        </Card>
      </div>
    );
  }
  const found = await getInvoice(await getDb(), user.id, access, id).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") return undefined;
    throw error;
  });
  if (!found) notFound();
  const doc = invoiceDocument(found.invoice, found.lines);
  const base = `/orgs/${org.name}/settings/invoices`;
  return (
    <div className="max-w-3xl space-y-4 print:max-w-none">
      <div className="flex flex-wrap items-center justify-between gap-3 print:hidden">
        <Link href={base} className="text-sm font-medium text-zinc-700 underline-offset-2 hover:underline">
          ← All invoices
        </Link>
        <div className="flex flex-wrap gap-2">
          <PrintButton />
          <a href={`${base}/${found.invoice.id}/pdf`} className={buttonClass("primary", "", "sm")} download={`${doc.number}.pdf`}>
            <Download className="size-4" aria-hidden />
            Download PDF
          </a>
        </div>
      </div>

      <article
        aria-labelledby="invoice-title"
        className="space-y-8 rounded-lg border border-zinc-200 bg-white p-5 shadow-xs sm:p-8 print:border-0 print:p-0 print:shadow-none"
      >
        <header className="flex flex-wrap items-start justify-between gap-6">
          <div className="space-y-1">
            <h2 id="invoice-title" className="text-2xl font-semibold tracking-tight text-zinc-900">
              Invoice <span data-testid="invoice-number">{doc.number}</span>
            </h2>
            <p className="text-sm text-zinc-600">{doc.kind}</p>
            <div className="flex flex-wrap items-center gap-2 pt-1">
              <InvoiceStatusBadge status={doc.status} />
              {doc.statusDetail ? <span className="text-sm text-zinc-600">{doc.statusDetail}</span> : null}
            </div>
          </div>
          <address className="text-sm text-zinc-700 not-italic sm:text-right" aria-label="Seller">
            <strong className="block font-semibold text-zinc-900">{doc.seller.name}</strong>
            {doc.seller.lines.join(", ")}
          </address>
        </header>

        <dl className="grid gap-6 text-sm sm:grid-cols-[2fr_1fr_1fr]">
          <div className="min-w-0 space-y-1">
            <dt className="text-xs font-medium tracking-wide text-zinc-500 uppercase">Bill to</dt>
            <dd className="text-zinc-800" data-testid="invoice-bill-to">
              <address className="not-italic">
                <strong className="block font-medium text-zinc-900">{doc.billTo.name}</strong>
                {doc.billTo.lines.map((line) => (
                  <span key={line} className="block">
                    {line}
                  </span>
                ))}
                <span className="block break-words">{doc.billTo.email}</span>
                {doc.billTo.taxId ? <span className="block">Tax ID {doc.billTo.taxId}</span> : null}
              </address>
            </dd>
          </div>
          <div className="space-y-1">
            <dt className="text-xs font-medium tracking-wide text-zinc-500 uppercase">Issued</dt>
            <dd className="text-zinc-800">{doc.issued}</dd>
          </div>
          <div className="space-y-1">
            <dt className="text-xs font-medium tracking-wide text-zinc-500 uppercase">Period</dt>
            <dd className="text-zinc-800">{doc.period}</dd>
          </div>
        </dl>

        <div>
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Lines of invoice {doc.number}</caption>
            <thead className="border-b border-zinc-300 text-xs font-medium tracking-wide text-zinc-500 uppercase">
              <tr>
                <th scope="col" className="py-2 pr-4">
                  Description
                </th>
                <th scope="col" className="px-2 py-2 text-right">
                  Qty
                </th>
                <th scope="col" className="hidden px-2 py-2 text-right sm:table-cell print:table-cell">
                  Unit price
                </th>
                <th scope="col" className="py-2 pl-2 text-right">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100" data-testid="invoice-lines">
              {doc.lines.map((line, index) => (
                <tr key={index} data-testid="invoice-line" className="break-inside-avoid">
                  <td className="py-2.5 pr-4 text-zinc-800">{line.description}</td>
                  <td className="px-2 py-2.5 text-right text-zinc-700 tabular-nums">{line.quantity}</td>
                  <td className="hidden px-2 py-2.5 text-right whitespace-nowrap text-zinc-700 tabular-nums sm:table-cell print:table-cell">
                    {line.unit}
                  </td>
                  <td className="py-2.5 pl-2 text-right whitespace-nowrap text-zinc-900 tabular-nums">{line.amount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>

        <dl className="ml-auto w-full max-w-xs break-inside-avoid space-y-1.5 text-sm">
          <div className="flex justify-between gap-4">
            <dt className="text-zinc-600">Subtotal</dt>
            <dd className="text-zinc-900 tabular-nums">{doc.subtotal}</dd>
          </div>
          <div className="flex justify-between gap-4">
            <dt className="text-zinc-600">{doc.taxLabel}</dt>
            <dd className="text-zinc-900 tabular-nums" data-testid="invoice-tax">
              {doc.tax}
            </dd>
          </div>
          <div className="flex justify-between gap-4 border-t border-zinc-300 pt-2 text-base font-semibold">
            <dt>Total</dt>
            <dd className="tabular-nums" data-testid="invoice-total">
              {doc.total}
            </dd>
          </div>
        </dl>

        {doc.reverseChargeNote ? (
          <p className="text-xs text-zinc-600" data-testid="reverse-charge-note">
            {doc.reverseChargeNote}
          </p>
        ) : null}
        <footer className="border-t border-zinc-200 pt-4 text-xs text-zinc-500">
          {doc.seller.name} · {doc.seller.lines.join(", ")} · Amounts in {found.invoice.currency.toUpperCase()}.
        </footer>
      </article>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";

import { InvoiceStatusBadge } from "@/components/billing/status-badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PermissionNote } from "@/components/ui/permission-note";
import { getDb } from "@/db";
import { invoiceKindLabel } from "@/lib/billing/invoice-document";
import { listInvoices } from "@/lib/billing/invoices";
import { formatDay, formatPeriod } from "@/lib/billing/periods";
import { requireOrgAccess } from "@/lib/next/org-access";
import { formatMoney } from "@/lib/shared/money";
import { can } from "@/lib/shared/roles";

export const metadata: Metadata = { title: "Invoices" };

export default async function InvoicesPage({ params }: { params: Promise<{ org: string }> }) {
  const access = await requireOrgAccess((await params).org, "/settings/invoices");
  const { org, user, role } = access;
  if (!can(role, "billing.manage")) {
    return (
      <div className="max-w-2xl">
        <Card title="Invoices" description="The invoices of this organization.">
          <PermissionNote permission="billing.manage" />
        </Card>
      </div>
    );
  }
  const invoices = await listInvoices(await getDb(), user.id, access);
  return (
    <div className="max-w-4xl space-y-6">
      <header className="space-y-1">
        <h2 className="text-lg font-semibold">Invoices</h2>
        <p className="text-sm text-zinc-600">
          Every invoice of {org.name}, newest first. Amounts include tax; open one to print it or download its PDF.
        </p>
      </header>
      {invoices.length === 0 ? (
        <EmptyState data-testid="invoices-empty">
          No invoices yet. The first one is issued when the organization moves to a paid plan.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Invoices of {org.name}</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-xs font-medium tracking-wide text-zinc-500 uppercase">
              <tr>
                <th scope="col" className="px-3 py-2.5 sm:px-4">
                  Invoice
                </th>
                <th scope="col" className="hidden px-3 py-2.5 sm:table-cell sm:px-4">
                  Issued
                </th>
                <th scope="col" className="hidden px-3 py-2.5 sm:px-4 md:table-cell">
                  Period
                </th>
                <th scope="col" className="px-3 py-2.5 text-right sm:px-4">
                  Total
                </th>
                <th scope="col" className="px-3 py-2.5 sm:px-4">
                  Status
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200">
              {invoices.map((invoice) => (
                <tr key={invoice.id} data-testid="invoice-row" className="align-top hover:bg-zinc-50">
                  <th scope="row" className="px-3 py-3 font-medium whitespace-nowrap sm:px-4">
                    <Link
                      href={`/orgs/${org.name}/settings/invoices/${invoice.id}`}
                      className="text-zinc-900 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-zinc-900"
                    >
                      {invoice.number}
                    </Link>
                    <span className="block text-xs font-normal text-zinc-500">
                      {invoiceKindLabel(invoice.kind)}
                      <span className="sm:hidden"> · {invoice.issuedAt ? formatDay(invoice.issuedAt) : "not issued"}</span>
                    </span>
                  </th>
                  <td className="hidden px-3 py-3 whitespace-nowrap text-zinc-700 sm:table-cell sm:px-4">
                    {invoice.issuedAt ? formatDay(invoice.issuedAt) : "—"}
                  </td>
                  <td className="hidden px-3 py-3 text-zinc-700 sm:px-4 md:table-cell">
                    {invoice.kind === "final" ? "Final" : formatPeriod(invoice.periodStart, invoice.periodEnd)}
                  </td>
                  <td className="px-3 py-3 text-right font-medium whitespace-nowrap text-zinc-900 tabular-nums sm:px-4">
                    {formatMoney(invoice.totalCents, invoice.currency)}
                  </td>
                  <td className="px-3 py-3 sm:px-4">
                    <InvoiceStatusBadge status={invoice.status} />
                    {invoice.status === "failed" ? (
                      <span className="mt-1 block text-xs text-red-700" data-testid="invoice-retry">
                        {invoice.nextAttemptAt ? `Retry on ${formatDay(invoice.nextAttemptAt)}` : "No more retries: replace the card"}
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="text-sm text-zinc-600">
        A failed payment is retried 3, 5 and 7 days later; a new card pays it at once:{" "}
        <Link href={`/orgs/${org.name}/settings/billing`} className="font-medium text-zinc-900 underline underline-offset-2">
          Billing
        </Link>
        .
      </p>
    </div>
  );
}

import Link from "next/link";

import { Card } from "@/components/ui/card";

import { StatusBadge, type BadgeTone } from "./status-badge";

/*
 * The billing page's view of the billing cycle: the subscription with its next
 * invoice, and this period's usage. Plain props, already written out by the page.
 */

export interface SubscriptionView {
  planLabel: string;
  status: { label: string; tone: BadgeTone };
  /** "Nov 30 – Dec 30, 2026"; null without a subscription. */
  period: string | null;
  nextInvoice: {
    date: string;
    total: string;
    /** What makes it up: ["Pro plan, next period", "$29.00"], … */
    lines: [string, string][];
    note?: string;
  } | null;
  /** A sentence under the facts (Starter, a scheduled cancellation, a failed payment). */
  note?: string;
  invoicesHref: string;
}

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="min-w-0 space-y-0.5">
      <dt className="text-xs font-medium tracking-wide text-zinc-500 uppercase">{label}</dt>
      <dd className="text-sm text-zinc-900" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

export function SubscriptionCard({ view }: { view: SubscriptionView }) {
  return (
    <Card
      title="Subscription"
      description="Paid plans are billed monthly in advance; usage past the plan's included hours is billed with the next period."
      footer={
        <Link href={view.invoicesHref} className="text-sm font-medium text-zinc-900 underline underline-offset-2">
          See all invoices
        </Link>
      }
    >
      <dl className="grid grid-cols-2 gap-4">
        <Fact label="Plan" testId="subscription-plan">
          {view.planLabel}
        </Fact>
        <Fact label="Status">
          <StatusBadge tone={view.status.tone} testId="subscription-status">
            {view.status.label}
          </StatusBadge>
        </Fact>
        {view.period ? (
          <Fact label="Current period" testId="subscription-period">
            {view.period}
          </Fact>
        ) : null}
        {view.nextInvoice ? (
          <Fact label="Next invoice" testId="next-invoice">
            <span className="font-medium">{view.nextInvoice.total}</span> on {view.nextInvoice.date}
            <span className="text-zinc-500"> (estimate)</span>
          </Fact>
        ) : null}
      </dl>
      {view.nextInvoice && view.nextInvoice.lines.length > 0 ? (
        <details className="rounded-md border border-zinc-200 px-4 py-2 text-sm">
          <summary className="cursor-pointer py-1 font-medium text-zinc-800">What the next invoice holds</summary>
          <table className="mt-2 w-full text-left">
            <caption className="sr-only">Estimate of the next invoice</caption>
            <tbody className="divide-y divide-zinc-100">
              {view.nextInvoice.lines.map(([label, amount]) => (
                <tr key={label}>
                  <th scope="row" className="py-1.5 pr-4 font-normal text-zinc-600">
                    {label}
                  </th>
                  <td className="py-1.5 text-right text-zinc-900 tabular-nums">{amount}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {view.nextInvoice.note ? <p className="mt-2 text-xs text-zinc-500">{view.nextInvoice.note}</p> : null}
        </details>
      ) : null}
      {view.note ? (
        <p className="text-sm text-zinc-600" data-testid="subscription-note">
          {view.note}
        </p>
      ) : null}
    </Card>
  );
}

export interface UsageView {
  period: string;
  hours: string;
  included: string;
  forecast: string;
  forecastCharge: string;
  /** "2 apps running" */
  running: string;
  /** Hours so far against the included ones, 0–100; null when the plan includes none. */
  percentOfIncluded: number | null;
  /** "2¢ per app-hour past 750 h"; or why nothing is billed (Starter). */
  rate: string;
}

export function UsageCard({ view }: { view: UsageView }) {
  return (
    <Card title="Usage this period" description={`App-hours, ${view.period}: each app counts while it exists, rounded up to the hour.`}>
      <dl className="grid grid-cols-2 gap-4">
        <Fact label="So far" testId="usage-hours">
          {view.hours}
        </Fact>
        <Fact label="Included">{view.included}</Fact>
        <Fact label="Forecast at period end" testId="usage-forecast">
          {view.forecast}
        </Fact>
        <Fact label="Estimated usage charge" testId="usage-charge">
          {view.forecastCharge}
        </Fact>
      </dl>
      {view.percentOfIncluded !== null ? (
        <div
          className="h-2 overflow-hidden rounded-full bg-zinc-100"
          role="progressbar"
          aria-label="Included app-hours used"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={view.percentOfIncluded}
        >
          <div
            className={`h-full rounded-full ${view.percentOfIncluded >= 100 ? "bg-amber-500" : "bg-zinc-900"}`}
            style={{ width: `${view.percentOfIncluded}%` }}
          />
        </div>
      ) : null}
      <p className="text-xs text-zinc-500">
        {view.running}. {view.rate}
      </p>
    </Card>
  );
}

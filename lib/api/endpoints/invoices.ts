import "server-only";

import { z } from "zod";

import type { Invoice, InvoiceLine } from "@/db/schema";
import { getUsageThisPeriod } from "@/lib/billing/billing-view";
import { getInvoice, listInvoices, type InvoiceSummary } from "@/lib/billing/invoices";
import { PLANS } from "@/lib/shared/plans";

import { defineEndpoint } from "../endpoint";
import { idParams, iso, timestamp, uuid } from "../schemas";
import { addresseeSchema } from "./billing";

const cents = (description: string) =>
  z
    .number()
    .int()
    .meta({ description: `${description}, in integer cents of the invoice's currency.` });
const nullableTimestamp = timestamp.nullable();

const invoiceStatus = z.enum(["draft", "open", "paid", "failed", "void"]).meta({
  description:
    "draft: being written; open: issued, not paid yet; paid; failed: the last charge failed (retried on a schedule); void: cancelled.",
});

const invoiceSummarySchema = z
  .object({
    id: uuid,
    number: z.string().meta({ example: "INV-000042" }),
    kind: z.enum(["period", "proration", "final"]).meta({
      description:
        "period: a period's plan (in advance) with the last period's usage and credits; proration: an upgrade's difference; final: the last usage when a plan ends.",
    }),
    status: invoiceStatus,
    currency: z.string().meta({ example: "usd" }),
    periodStart: timestamp,
    periodEnd: timestamp,
    totalCents: cents("Total with tax"),
    issuedAt: nullableTimestamp,
    paidAt: nullableTimestamp,
    nextAttemptAt: nullableTimestamp.meta({ description: "When a failed invoice is charged again; null when no retry is planned." }),
  })
  .meta({ id: "InvoiceSummary" });

const invoiceSchema = invoiceSummarySchema
  .extend({
    plan: z.enum(Object.keys(PLANS) as [keyof typeof PLANS, ...(keyof typeof PLANS)[]]),
    billTo: addresseeSchema.meta({ description: "Who the invoice is addressed to, as it was when it was issued." }),
    lines: z.array(
      z.object({
        kind: z.enum(["plan", "proration", "usage", "credit"]),
        description: z.string().meta({ example: "Pro plan, Mar 1 – Apr 1, 2030" }),
        quantity: z.number().int(),
        unitAmountCents: cents("Price of one unit"),
        amountCents: cents("The line's amount (negative for a credit)"),
      }),
    ),
    subtotalCents: cents("Sum of the lines"),
    taxLabel: z.string().meta({ example: "VAT 20%" }),
    taxRateBasisPoints: z.number().int().meta({ description: "The tax rate in basis points (2000 = 20%)." }),
    reverseCharge: z.boolean().meta({ description: "EU business customer accounting for the VAT itself." }),
    taxCents: cents("Tax"),
  })
  .meta({ id: "Invoice" });

const usageSchema = z
  .object({
    plan: z.string().meta({ example: "pro" }),
    periodStart: timestamp,
    periodEnd: timestamp,
    appHours: z.number().int().meta({ description: "App-hours so far this period (each app's time rounded up to the hour)." }),
    forecastAppHours: z.number().int().meta({ description: "App-hours at the period's end if the running apps keep running." }),
    runningApps: z.number().int(),
    includedAppHours: z.number().int(),
    appHourCents: z.number().int().meta({ description: "Price of each app-hour past the included ones, in US cents." }),
    chargeSoFarCents: cents("Usage charge so far"),
    forecastChargeCents: cents("Usage charge forecast at the period's end"),
  })
  .meta({ id: "Usage" });

const toSummary = (invoice: InvoiceSummary) => ({
  id: invoice.id,
  number: invoice.number,
  kind: invoice.kind,
  status: invoice.status,
  currency: invoice.currency,
  periodStart: iso(invoice.periodStart),
  periodEnd: iso(invoice.periodEnd),
  totalCents: invoice.totalCents,
  issuedAt: invoice.issuedAt ? iso(invoice.issuedAt) : null,
  paidAt: invoice.paidAt ? iso(invoice.paidAt) : null,
  nextAttemptAt: invoice.nextAttemptAt ? iso(invoice.nextAttemptAt) : null,
});

const toInvoice = (invoice: Invoice, lines: InvoiceLine[]) => ({
  ...toSummary(invoice),
  plan: invoice.plan,
  billTo: invoice.billTo,
  lines: lines.map((line) => ({
    kind: line.kind,
    description: line.description,
    quantity: line.quantity,
    unitAmountCents: line.unitAmountCents,
    amountCents: line.amountCents,
  })),
  subtotalCents: invoice.subtotalCents,
  taxLabel: invoice.taxLabel,
  taxRateBasisPoints: invoice.taxRateBasisPoints,
  reverseCharge: invoice.reverseCharge,
  taxCents: invoice.taxCents,
});

export const listInvoicesEndpoint = defineEndpoint({
  method: "GET",
  path: "/invoices",
  operationId: "listInvoices",
  tag: "Billing",
  summary: "List invoices",
  description: "Owners and billing managers only. Issued invoices never change, except their payment status.",
  response: z.object({ data: z.array(invoiceSummarySchema) }),
  responseDescription: "The organization's invoices, newest first.",
  handler: async (db, ctx) => ({ data: (await listInvoices(db, ctx.actor.userId, { id: ctx.org.id })).map(toSummary) }),
});

export const getInvoiceEndpoint = defineEndpoint({
  method: "GET",
  path: "/invoices/{id}",
  operationId: "getInvoice",
  tag: "Billing",
  summary: "Get an invoice",
  description: "Owners and billing managers only. Every amount is in integer cents of the invoice's currency.",
  params: idParams("invoice"),
  errors: [404],
  response: invoiceSchema,
  responseDescription: "The invoice with its lines, tax and totals.",
  handler: async (db, ctx, { params }) => {
    const { invoice, lines } = await getInvoice(db, ctx.actor.userId, { id: ctx.org.id }, params.id);
    return toInvoice(invoice, lines);
  },
});

export const getUsageEndpoint = defineEndpoint({
  method: "GET",
  path: "/billing/usage",
  operationId: "getUsage",
  tag: "Billing",
  summary: "Usage so far this period",
  description: "App-hours of the current billing period and their forecast. Owners and billing managers only.",
  response: usageSchema,
  responseDescription: "The period's usage so far, and what it will be at the period's end.",
  handler: async (db, ctx) => {
    const usage = await getUsageThisPeriod(db, ctx.actor.userId, { id: ctx.org.id });
    return {
      plan: usage.plan,
      periodStart: iso(usage.periodStart),
      periodEnd: iso(usage.periodEnd),
      appHours: usage.hours,
      forecastAppHours: usage.forecastHours,
      runningApps: usage.runningApps,
      includedAppHours: usage.includedHours,
      appHourCents: usage.appHourCents,
      chargeSoFarCents: usage.chargeSoFarCents,
      forecastChargeCents: usage.forecastChargeCents,
    };
  },
});

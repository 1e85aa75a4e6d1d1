import "server-only";

import { and, eq, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { invoices, pendingInvoiceItems, type Organization, type Subscription } from "@/db/schema";
import { paymentProviderId } from "@/lib/core/env";
import { requireMembership, type OrgRef } from "@/lib/orgs/access";
import { isPaidPlan, planOf, type PlanId } from "@/lib/shared/plans";

import { getBillingDetails } from "./billing-details";
import { billingClockOffset, billingNow } from "./clock";
import { periodBoundary } from "./periods";
import { readSubscription } from "./subscriptions";
import { taxAmount, taxFor } from "./tax";
import { usageSummary, type UsageSummary } from "./usage";

/*
 * What the billing and plan pages show of the billing cycle: the subscription,
 * this period's usage with its forecast, an estimate of the next invoice, and
 * the test clock. Reads only, for owners and billing managers.
 */

export type SubscriptionStatus = "active" | "cancels" | "payment_failed" | "past_due";

export interface NextInvoiceEstimate {
  /** When it is issued: the current period's end. */
  date: Date;
  kind: "period" | "final";
  /** The next period's plan in advance (0 for a final invoice). */
  planCents: number;
  /** This period's app-hours past the included ones, if the running apps keep running. */
  usageCents: number;
  /** Credits (negative) and charges waiting for it, such as a downgrade's unused time. */
  pendingCents: number;
  subtotalCents: number;
  taxCents: number;
  taxLabel: string;
  totalCents: number;
}

export interface BillingSummary {
  org: Organization;
  /** The active subscription of a paid plan; undefined on Starter (or a plan arranged with sales). */
  subscription: Subscription | undefined;
  status: SubscriptionStatus;
  /** Billing's "now": real time, plus the test clock's offset in test mode. */
  now: Date;
  /** The current period, or the calendar month without a subscription. */
  usage: UsageSummary;
  nextInvoice: NextInvoiceEstimate | undefined;
  /** Failed invoices waiting for a retry or a new card. */
  failedInvoices: number;
  /** The test clock, only with the built-in test provider. */
  testClock: { offsetSeconds: number } | undefined;
}

/** The calendar month (UTC) around `now`: usage's period for an org without a subscription. */
export function calendarMonth(now: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return { start, end: periodBoundary(start, 1) };
}

/** The subscription, usage and next invoice of an org, for its billing page (owners and billing managers). */
export async function getBillingSummary(db: Db, userId: string, orgRef: OrgRef): Promise<BillingSummary> {
  const { org } = await requireMembership(db, userId, orgRef, "billing.manage");
  const testMode = paymentProviderId() === "test";
  const [now, row, details, [pending], [failed], offsetSeconds] = await Promise.all([
    billingNow(db),
    readSubscription(db, org.id),
    getBillingDetails(db, org.id),
    db
      .select({ cents: sql<string>`COALESCE(SUM(${pendingInvoiceItems.amountCents}), 0)::text` })
      .from(pendingInvoiceItems)
      .where(eq(pendingInvoiceItems.orgId, org.id)),
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(invoices)
      .where(and(eq(invoices.orgId, org.id), eq(invoices.status, "failed"))),
    testMode ? billingClockOffset(db) : Promise.resolve(0),
  ]);
  const subscription = row?.status === "active" && isPaidPlan(row.plan) ? row : undefined;
  const period = subscription ? { start: subscription.currentPeriodStart, end: subscription.currentPeriodEnd } : calendarMonth(now);
  // Usage is billed on the subscription's plan; without one, on the org's (Starter bills none).
  const usage = await usageSummary(db, {
    orgId: org.id,
    plan: subscription?.plan ?? org.plan,
    periodStart: period.start,
    periodEnd: period.end,
    now,
  });

  let nextInvoice: NextInvoiceEstimate | undefined;
  if (subscription) {
    const final = subscription.cancelAtPeriodEnd;
    const planCents = final ? 0 : (planOf(subscription.plan).priceMonthlyCents ?? 0);
    const pendingCents = Number(pending?.cents ?? 0);
    // As issueInvoice does: a credit larger than the charges leaves a zero invoice, with tax on none.
    const subtotalCents = Math.max(0, planCents + usage.forecastChargeCents + pendingCents);
    const tax = details ? taxFor(details) : { basisPoints: 0, label: "No tax", reverseCharge: false };
    const taxCents = taxAmount(subtotalCents, tax);
    nextInvoice = {
      date: subscription.currentPeriodEnd,
      kind: final ? "final" : "period",
      planCents,
      usageCents: usage.forecastChargeCents,
      pendingCents,
      subtotalCents,
      taxCents,
      taxLabel: tax.label,
      totalCents: subtotalCents + taxCents,
    };
  }

  const status: SubscriptionStatus =
    org.billingState === "past_due"
      ? "past_due"
      : org.billingState === "payment_failed"
        ? "payment_failed"
        : subscription?.cancelAtPeriodEnd
          ? "cancels"
          : "active";
  return {
    org,
    subscription,
    status,
    now,
    usage,
    nextInvoice,
    failedInvoices: failed?.count ?? 0,
    testClock: testMode ? { offsetSeconds } : undefined,
  };
}

/** Usage so far in the current period, on the plan it is billed on (the REST API's `GET /billing/usage`). */
export async function getUsageThisPeriod(db: Db, userId: string, orgRef: OrgRef): Promise<UsageSummary & { plan: PlanId }> {
  const summary = await getBillingSummary(db, userId, orgRef);
  return { ...summary.usage, plan: summary.subscription?.plan ?? summary.org.plan };
}

export interface PlanSchedule {
  plan: Subscription["plan"];
  /** The current period's end: when a move to Starter takes effect. */
  periodEnd: Date;
  /** The plan ends at `periodEnd` and the org moves to Starter. */
  cancelAtPeriodEnd: boolean;
}

/** The active subscription's period end and whether it cancels then, for the plan page (owners and billing managers). */
export async function getPlanSchedule(db: Db, userId: string, orgRef: OrgRef): Promise<PlanSchedule | undefined> {
  const { org } = await requireMembership(db, userId, orgRef, "billing.manage");
  const row = await readSubscription(db, org.id);
  if (!row || row.status !== "active" || !isPaidPlan(row.plan)) return undefined;
  return { plan: row.plan, periodEnd: row.currentPeriodEnd, cancelAtPeriodEnd: row.cancelAtPeriodEnd };
}

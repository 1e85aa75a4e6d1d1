import "server-only";

import { and, eq, isNull, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { appUsage } from "@/db/schema";
import { planOf, type PlanId } from "@/lib/shared/plans";

/*
 * Usage as it happens: an app accrues app-hours while it exists. Its row opens in
 * the transaction that creates the app and closes in the one that deletes it, at
 * billing's time (the test clock in test mode), so a period's usage is a query.
 */

export async function startAppUsage(tx: Db, input: { orgId: string; appId: string; at: Date }): Promise<void> {
  await tx.insert(appUsage).values({ orgId: input.orgId, appId: input.appId, startedAt: input.at });
}

export async function stopAppUsage(tx: Db, input: { appId: string; at: Date }): Promise<void> {
  await tx
    .update(appUsage)
    .set({ endedAt: input.at })
    .where(and(eq(appUsage.appId, input.appId), isNull(appUsage.endedAt)));
}

/**
 * App-hours of an org in [from, to): each app's time in it, rounded up to the
 * hour. Apps still running count until `until` (now for "so far"; the period's end
 * for a forecast or a closed period).
 */
export async function appHours(db: Db, orgId: string, period: { from: Date; to: Date; until: Date }): Promise<number> {
  const end = period.until < period.to ? period.until : period.to;
  if (end <= period.from) return 0;
  const [row] = await db
    .select({
      hours: sql<string>`COALESCE(SUM(CEIL(EXTRACT(EPOCH FROM (
        LEAST(COALESCE(${appUsage.endedAt}, ${end.toISOString()}::timestamptz), ${end.toISOString()}::timestamptz)
        - GREATEST(${appUsage.startedAt}, ${period.from.toISOString()}::timestamptz)
      )) / 3600)), 0)::text`,
    })
    .from(appUsage)
    .where(
      and(
        eq(appUsage.orgId, orgId),
        sql`${appUsage.startedAt} < ${end.toISOString()}::timestamptz`,
        sql`COALESCE(${appUsage.endedAt}, 'infinity'::timestamptz) > ${period.from.toISOString()}::timestamptz`,
      ),
    );
  return Number(row?.hours ?? 0);
}

/** The charge for a period's app-hours on a plan: the hours past its included ones, at its price. */
export function usageCharge(plan: PlanId, hours: number): { billableHours: number; amountCents: number } {
  const terms = planOf(plan);
  const billableHours = Math.max(0, hours - terms.includedAppHours);
  return { billableHours, amountCents: billableHours * terms.appHourCents };
}

export interface UsageSummary {
  periodStart: Date;
  periodEnd: Date;
  /** App-hours so far this period. */
  hours: number;
  /** App-hours at the period's end if the running apps keep running. */
  forecastHours: number;
  runningApps: number;
  includedHours: number;
  appHourCents: number;
  chargeSoFarCents: number;
  forecastChargeCents: number;
}

export async function usageSummary(
  db: Db,
  input: { orgId: string; plan: PlanId; periodStart: Date; periodEnd: Date; now: Date },
): Promise<UsageSummary> {
  const { orgId, periodStart, periodEnd, now } = input;
  const [hours, forecastHours, [running]] = await Promise.all([
    appHours(db, orgId, { from: periodStart, to: periodEnd, until: now }),
    appHours(db, orgId, { from: periodStart, to: periodEnd, until: periodEnd }),
    db
      .select({ count: sql<number>`count(*)::int` })
      .from(appUsage)
      .where(and(eq(appUsage.orgId, orgId), isNull(appUsage.endedAt))),
  ]);
  const terms = planOf(input.plan);
  return {
    periodStart,
    periodEnd,
    hours,
    forecastHours,
    runningApps: running?.count ?? 0,
    includedHours: terms.includedAppHours,
    appHourCents: terms.appHourCents,
    chargeSoFarCents: usageCharge(input.plan, hours).amountCents,
    forecastChargeCents: usageCharge(input.plan, forecastHours).amountCents,
  };
}

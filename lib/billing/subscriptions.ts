import "server-only";

import { eq, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { organizations, pendingInvoiceItems, subscriptions, type Invoice, type Organization, type Subscription } from "@/db/schema";
import { recordActivity } from "@/lib/activity/record";
import { BILLING_SYSTEM, type Actor, type SystemActor } from "@/lib/core/actor";
import { fractionOf } from "@/lib/shared/money";
import { isPaidPlan, isUpgrade, planLabel, planOf, type PlanId } from "@/lib/shared/plans";

import { applyPlan, assertPlanFits } from "./apply-plan";
import { billingNow } from "./clock";
import { issueInvoice, singleLine, takePendingItems, type DraftLine } from "./invoices";
import { daysIn, daysLeft, formatDay, formatPeriod, periodBoundary } from "./periods";
import { appHours, usageCharge } from "./usage";

/*
 * Subscriptions of the built-in billing (the test provider): a paid plan is a
 * monthly subscription billed in advance. Starting one issues its first period's
 * invoice; an upgrade charges the rest of the period's difference at once; a
 * downgrade leaves a credit for the next invoice; cancelling returns to Starter
 * at the period's end. Every function here runs under the org row lock, the lock
 * plan changes and renewals both take, so a change at a period's end bills once.
 */

const PROVIDER = "test";

export async function lockSubscription(tx: Db, orgId: string): Promise<Subscription | undefined> {
  const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.orgId, orgId)).for("update");
  return row;
}

function priceOf(plan: PlanId): number {
  return planOf(plan).priceMonthlyCents ?? 0;
}

function usageLine(plan: PlanId, hours: number, start: Date, end: Date): DraftLine[] {
  if (hours === 0) return [];
  const terms = planOf(plan);
  const { billableHours, amountCents } = usageCharge(plan, hours);
  return [
    {
      kind: "usage",
      description: `App-hours, ${formatPeriod(start, end)}: ${hours.toLocaleString("en-US")} h, ${terms.includedAppHours.toLocaleString("en-US")} h included`,
      quantity: billableHours,
      unitAmountCents: terms.appHourCents,
      amountCents,
    },
  ];
}

/**
 * Bills every period of the locked org's subscription that has ended by `now`:
 * each gets its invoice (the next period's plan in advance, the ended period's
 * usage, pending credits), or, for a cancelled plan, a final invoice and the
 * return to Starter. Returns the org as it is afterwards.
 */
export async function settleEndedPeriods(tx: Db, org: Organization, now: Date): Promise<Organization> {
  const locked = await lockSubscription(tx, org.id);
  if (!locked || locked.status !== "active" || locked.provider !== PROVIDER) return org;
  let sub: Subscription = locked;
  while (sub.currentPeriodEnd <= now) {
    const start: Date = sub.currentPeriodStart;
    const end: Date = sub.currentPeriodEnd;
    const hours = await appHours(tx, org.id, { from: start, to: end, until: end });
    const pending = await takePendingItems(tx, org.id);
    const arrears = [...pending, ...usageLine(sub.plan, hours, start, end)];
    const common = { org, plan: sub.plan, provider: PROVIDER, now, actor: BILLING_SYSTEM, recordIssued: true };

    if (sub.cancelAtPeriodEnd) {
      if (arrears.length) await issueInvoice(tx, { ...common, kind: "final", periodStart: end, periodEnd: end, lines: arrears });
      await tx
        .update(subscriptions)
        .set({ status: "canceled", cancelAtPeriodEnd: false, updatedAt: sql`now()` })
        .where(eq(subscriptions.orgId, org.id));
      await applyPlan(tx, BILLING_SYSTEM, org, "starter", {
        checkFit: false,
        metadata: { reason: "cancelled", endedAt: end.toISOString() },
      });
      return { ...org, plan: "starter" };
    }

    const number: number = sub.periodNumber + 1;
    const nextEnd = periodBoundary(sub.anchorAt, number + 1);
    const planLine = singleLine("plan", `${planLabel(sub.plan)} plan, ${formatPeriod(end, nextEnd)}`, priceOf(sub.plan));
    await issueInvoice(tx, { ...common, kind: "period", periodStart: end, periodEnd: nextEnd, lines: [planLine, ...arrears] });
    const [renewed] = await tx
      .update(subscriptions)
      .set({ periodNumber: number, currentPeriodStart: end, currentPeriodEnd: nextEnd, updatedAt: sql`now()` })
      .where(eq(subscriptions.orgId, org.id))
      .returning();
    sub = renewed!;
  }
  return org;
}

/** Starts (or restarts) the org's subscription at `now` and issues its first period's invoice. */
async function startSubscription(tx: Db, actor: Actor | SystemActor, org: Organization, plan: PlanId, now: Date): Promise<Invoice> {
  const end = periodBoundary(now, 1);
  const values = {
    provider: PROVIDER,
    plan,
    status: "active" as const,
    anchorAt: now,
    periodNumber: 0,
    currentPeriodStart: now,
    currentPeriodEnd: end,
    cancelAtPeriodEnd: false,
  };
  await tx
    .insert(subscriptions)
    .values({ orgId: org.id, ...values })
    .onConflictDoUpdate({ target: subscriptions.orgId, set: { ...values, updatedAt: sql`now()` } });
  const lines = [
    singleLine("plan", `${planLabel(plan)} plan, ${formatPeriod(now, end)}`, priceOf(plan)),
    ...(await takePendingItems(tx, org.id)),
  ];
  return issueInvoice(tx, {
    org,
    kind: "period",
    plan,
    periodStart: now,
    periodEnd: end,
    lines,
    provider: PROVIDER,
    now,
    actor,
    recordIssued: false,
  });
}

export interface Proration {
  daysLeft: number;
  daysInPeriod: number;
  /** The change's net amount: positive is charged now (upgrade), negative is credited on the next invoice. */
  amountCents: number;
  invoice?: Invoice;
}

/** Prorates a change of plan to the day and moves the subscription to the new plan. */
async function prorate(
  tx: Db,
  actor: Actor | SystemActor,
  org: Organization,
  sub: Subscription,
  to: PlanId,
  now: Date,
): Promise<Proration> {
  const total = daysIn(sub.currentPeriodStart, sub.currentPeriodEnd);
  const left = daysLeft(now, sub.currentPeriodStart, sub.currentPeriodEnd);
  const days = `${left} of ${total} days`;
  const lines = [
    singleLine("proration", `Unused time on ${planLabel(sub.plan)} (${days})`, -fractionOf(priceOf(sub.plan), left, total)),
    singleLine("proration", `Remaining time on ${planLabel(to)} (${days})`, fractionOf(priceOf(to), left, total)),
  ];
  const amountCents = lines[0]!.amountCents + lines[1]!.amountCents;
  await tx
    .update(subscriptions)
    .set({ plan: to, cancelAtPeriodEnd: false, updatedAt: sql`now()` })
    .where(eq(subscriptions.orgId, org.id));
  const proration: Proration = { daysLeft: left, daysInPeriod: total, amountCents };
  if (isUpgrade(sub.plan, to)) {
    proration.invoice = await issueInvoice(tx, {
      org,
      kind: "proration",
      plan: to,
      periodStart: now,
      periodEnd: sub.currentPeriodEnd,
      lines,
      provider: PROVIDER,
      now,
      actor,
      recordIssued: false,
    });
  } else {
    await tx
      .insert(pendingInvoiceItems)
      .values(lines.map((line) => ({ orgId: org.id, kind: line.kind, description: line.description, amountCents: line.amountCents })));
  }
  return proration;
}

export type SubscriptionChange =
  | { status: "changed"; from: PlanId; to: PlanId }
  | { status: "unchanged" }
  | { status: "cancel_scheduled"; endsAt: Date }
  | { status: "resumed"; plan: PlanId };

/**
 * Moves a locked org to `plan` with what billing makes of it, in the caller's
 * transaction: periods already ended are billed first (so a change at a period's
 * end prorates against the new period and nothing is billed twice), then:
 * Starter to paid starts a subscription; paid to paid prorates; paid to Starter
 * is scheduled for the period's end; choosing the current plan again keeps a
 * cancelled one.
 */
export async function switchPlan(tx: Db, actor: Actor, locked: Organization, plan: PlanId): Promise<SubscriptionChange> {
  const now = await billingNow(tx);
  const org = await settleEndedPeriods(tx, locked, now);
  const current = await lockSubscription(tx, org.id);
  const sub = current?.status === "active" && current.provider === PROVIDER ? current : undefined;

  if (plan === org.plan) {
    if (!sub?.cancelAtPeriodEnd) return { status: "unchanged" };
    await withdrawCancellation(tx, actor, org);
    return { status: "resumed", plan };
  }

  if (!isPaidPlan(plan) && sub) {
    if (!sub.cancelAtPeriodEnd) await scheduleCancellation(tx, actor, org, sub);
    return { status: "cancel_scheduled", endsAt: sub.currentPeriodEnd };
  }

  await assertPlanFits(tx, org, plan);
  let metadata: Record<string, unknown> = {};
  if (isPaidPlan(plan) && !sub) {
    const invoice = await startSubscription(tx, actor, org, plan, now);
    metadata = { invoice: invoice.number, chargedCents: invoice.totalCents, periodEnd: formatDay(invoice.periodEnd) };
  } else if (sub) {
    const proration = await prorate(tx, actor, org, sub, plan, now);
    metadata = {
      proration: {
        daysLeft: proration.daysLeft,
        daysInPeriod: proration.daysInPeriod,
        amountCents: proration.amountCents,
        ...(proration.invoice ? { invoice: proration.invoice.number, chargedCents: proration.invoice.totalCents } : {}),
      },
    };
  }
  await applyPlan(tx, actor, org, plan, { checkFit: false, metadata });
  return { status: "changed", from: org.plan, to: plan };
}

function planTarget(org: Organization, plan: PlanId) {
  return { type: "plan", id: org.id, label: planLabel(plan) };
}

/** Keeps the org's plan after a cancellation (choosing the plan again before the period ends). */
export async function withdrawCancellation(tx: Db, actor: Actor, org: Organization): Promise<void> {
  await tx
    .update(subscriptions)
    .set({ cancelAtPeriodEnd: false, updatedAt: sql`now()` })
    .where(eq(subscriptions.orgId, org.id));
  await recordActivity(tx, {
    orgId: org.id,
    actor,
    type: "plan.cancel_withdrawn",
    target: planTarget(org, org.plan),
    metadata: { plan: org.plan },
  });
}

/** Schedules the move to Starter for the period's end, refused when the seats do not fit Starter now. */
export async function scheduleCancellation(tx: Db, actor: Actor, org: Organization, sub: Subscription): Promise<void> {
  await assertPlanFits(tx, org, "starter");
  await tx
    .update(subscriptions)
    .set({ cancelAtPeriodEnd: true, updatedAt: sql`now()` })
    .where(eq(subscriptions.orgId, org.id));
  await recordActivity(tx, {
    orgId: org.id,
    actor,
    type: "plan.cancel_scheduled",
    target: planTarget(org, org.plan),
    metadata: { plan: org.plan, endsAt: sub.currentPeriodEnd.toISOString() },
  });
}

/** The org's subscription as its billing page shows it (no lock). */
export async function readSubscription(db: Db, orgId: string): Promise<Subscription | undefined> {
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.orgId, orgId));
  return row;
}

/** Locks an org row by id, for the cycle and the charge outcomes (which have no member to check). */
export async function lockOrg(tx: Db, orgId: string): Promise<Organization | undefined> {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).for("update");
  return org;
}

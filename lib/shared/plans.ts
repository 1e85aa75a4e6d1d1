/**
 * The plans, in one table: what each costs, what usage it includes and how many
 * members and apps it allows. Money is in integer US cents. `null` limits are
 * unlimited; a `null` price is arranged with sales. An org's own `max_members`
 * (set by support) overrides its plan's number.
 *
 * Usage is app-hours: each app accrues time while it exists, each app's time in a
 * period rounded up to the hour. Hours past the included ones cost `appHourCents`.
 */
export const PLANS = {
  starter: { label: "Starter", priceMonthlyCents: 0, maxMembers: 3, maxApps: 10, includedAppHours: 0, appHourCents: 0 },
  pro: { label: "Pro", priceMonthlyCents: 2900, maxMembers: 10, maxApps: 100, includedAppHours: 750, appHourCents: 2 },
  scale: { label: "Scale", priceMonthlyCents: 29900, maxMembers: 50, maxApps: 1000, includedAppHours: 7500, appHourCents: 1 },
  enterprise: { label: "Enterprise", priceMonthlyCents: null, maxMembers: null, maxApps: null, includedAppHours: 0, appHourCents: 0 },
} as const satisfies Record<string, PlanTerms>;

interface PlanTerms {
  label: string;
  priceMonthlyCents: number | null;
  maxMembers: number | null;
  maxApps: number | null;
  includedAppHours: number;
  appHourCents: number;
}

/** Every amount is in this currency (ISO 4217, lower case as providers write it). */
export const CURRENCY = "usd";

export type PlanId = keyof typeof PLANS;

export function isPlanId(value: unknown): value is PlanId {
  return typeof value === "string" && Object.hasOwn(PLANS, value);
}

/** Plans from the smallest to the largest, to tell an upgrade from a downgrade (also the database enum). */
export const PLAN_ORDER = ["starter", "pro", "scale", "enterprise"] as const satisfies readonly PlanId[];

/** Whether `to` is a larger plan than `from`. */
export function isUpgrade(from: PlanId, to: PlanId): boolean {
  return PLAN_ORDER.indexOf(to) > PLAN_ORDER.indexOf(from);
}

/** A paid plan needs billing information and a payment method. */
export function isPaidPlan(plan: PlanId): boolean {
  return plan !== "starter";
}

/** The paid plans bought here with a card; Enterprise is arranged with sales. */
export function isSelfServePlan(plan: unknown): plan is "pro" | "scale" {
  return plan === "pro" || plan === "scale";
}

export function planLabel(plan: string): string {
  return isPlanId(plan) ? PLANS[plan].label : plan;
}

export function planOf(planId: string) {
  return PLANS[(planId in PLANS ? planId : "starter") as PlanId];
}

/** What an org past due on its payments may use: Starter's limits, until it pays. */
export type BillingStateOf = { billingState?: "current" | "payment_failed" | "past_due" };

function pastDue(org: BillingStateOf): boolean {
  return org.billingState === "past_due";
}

/** The member limit of an org: its override, else its plan's, and at most Starter's while past due; null = unlimited. */
export function seatLimit(org: { plan: PlanId; maxMembers: number | null } & BillingStateOf): number | null {
  const limit = org.maxMembers ?? planOf(org.plan).maxMembers;
  if (!pastDue(org)) return limit;
  return limit === null ? PLANS.starter.maxMembers : Math.min(limit, PLANS.starter.maxMembers);
}

/** The app limit of an org: its plan's, and at most Starter's while past due; null = unlimited. */
export function appLimit(org: { plan: PlanId } & BillingStateOf): number | null {
  const limit = planOf(org.plan).maxApps;
  if (!pastDue(org)) return limit;
  return limit === null ? PLANS.starter.maxApps : Math.min(limit, PLANS.starter.maxApps);
}

export const PAST_DUE_LIMITS =
  "Payments for this organization are past due, so it has the Starter plan's limits until they are paid: update the card on the billing page.";

export function appLimitMessage(limit: number, org: BillingStateOf = {}): string {
  if (pastDue(org)) return `${PAST_DUE_LIMITS} (${limit} apps)`;
  return `Your plan allows ${limit} apps. Delete an app or upgrade your plan.`;
}

export function seatLimitMessage(limit: number, org: BillingStateOf = {}): string {
  if (pastDue(org)) return `${PAST_DUE_LIMITS} (${limit} members)`;
  return `Your plan allows ${limit} members. Upgrade your plan or contact support.`;
}

/**
 * The plans, in one table: what each costs and how many members it allows.
 * `maxMembers: null` is unlimited. An org's own `max_members` (set by support)
 * overrides its plan's number.
 */
export const PLANS = {
  starter: { label: "Starter", priceMonthlyUsd: 0, maxMembers: 3 },
  pro: { label: "Pro", priceMonthlyUsd: 29, maxMembers: 10 },
  scale: { label: "Scale", priceMonthlyUsd: 299, maxMembers: 50 },
  enterprise: { label: "Enterprise", priceMonthlyUsd: null, maxMembers: null },
} as const satisfies Record<string, { label: string; priceMonthlyUsd: number | null; maxMembers: number | null }>;

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

/** The member limit of an org: its override, else its plan's; null = unlimited. */
export function seatLimit(org: { plan: PlanId; maxMembers: number | null }): number | null {
  return org.maxMembers ?? planOf(org.plan).maxMembers;
}

export function seatLimitMessage(limit: number): string {
  return `Your plan allows ${limit} members. Upgrade your plan or contact support.`;
}

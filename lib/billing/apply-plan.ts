import "server-only";

import { eq } from "drizzle-orm";

import type { Db } from "@/db";
import { organizations, type Organization } from "@/db/schema";
import { recordActivity } from "@/lib/activity/record";
import type { Actor, SystemActor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { seatsUsed } from "@/lib/orgs/seats";
import { planLabel, PLANS, seatLimit, type PlanId } from "@/lib/shared/plans";

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export function downgradeRefusal(orgName: string, plan: PlanId, limit: number, members: number, pending: number): string {
  const has =
    pending > 0
      ? `${plural(members, "member", "members")} and ${plural(pending, "pending invitation", "pending invitations")}`
      : plural(members, "member", "members");
  const excess = members + pending - limit;
  const remove = plural(excess, "member or pending invitation", "members or pending invitations");
  return `${PLANS[plan].label} allows ${plural(limit, "member", "members")}, and ${orgName} has ${has}. Remove ${remove} before moving to ${PLANS[plan].label}.`;
}

/**
 * Refuses a plan the org's members and pending invitations do not fit. The caller
 * holds the org row lock, the same lock accepting an invitation takes, so they
 * cannot grow between this count and the commit.
 */
export async function assertPlanFits(tx: Db, org: Organization, plan: PlanId): Promise<void> {
  const limit = seatLimit({ plan, maxMembers: org.maxMembers });
  if (limit === null) return;
  const { members, pending } = await seatsUsed(tx, org.id);
  if (members + pending > limit) throw new AppError("limit_reached", downgradeRefusal(org.name, plan, limit, members, pending));
}

/**
 * Moves a locked org to `plan` and records it, with what billing adds (the
 * proration and its invoice). `fitChecked: false` skips the seat check: a plan
 * that ends with its period returns to Starter even when the org has grown past
 * Starter's limits since (it keeps everyone; only new invitations stop).
 */
export async function applyPlan(
  tx: Db,
  actor: Actor | SystemActor,
  org: Organization,
  plan: PlanId,
  options: { metadata?: Record<string, unknown>; checkFit?: boolean } = {},
): Promise<void> {
  if (options.checkFit !== false) await assertPlanFits(tx, org, plan);
  await tx.update(organizations).set({ plan }).where(eq(organizations.id, org.id));
  await recordActivity(tx, {
    orgId: org.id,
    actor,
    type: "plan.changed",
    target: { type: "plan", id: org.id, label: `${planLabel(org.plan)} → ${PLANS[plan].label}` },
    metadata: { from: org.plan, to: plan, ...options.metadata },
  });
}

export async function recordUpgradeFailure(tx: Db, actor: Actor, org: Organization, plan: PlanId, reason: string): Promise<void> {
  await recordActivity(tx, {
    orgId: org.id,
    actor,
    type: "plan.upgrade_failed",
    target: { type: "plan", id: org.id, label: PLANS[plan].label },
    metadata: { plan, reason },
  });
}

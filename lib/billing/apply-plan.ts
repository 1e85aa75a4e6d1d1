import "server-only";

import { eq } from "drizzle-orm";

import type { Db } from "@/db";
import { organizations, type Organization } from "@/db/schema";
import { recordActivity } from "@/lib/activity/record";
import type { Actor } from "@/lib/core/actor";
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
 * Moves a locked org to `plan` and records it. The caller holds the org row lock,
 * the same lock accepting an invitation takes, so members and pending invitations
 * cannot grow between this count and the commit.
 */
export async function applyPlan(tx: Db, actor: Actor, org: Organization, plan: PlanId): Promise<void> {
  const limit = seatLimit({ plan, maxMembers: org.maxMembers });
  if (limit !== null) {
    const { members, pending } = await seatsUsed(tx, org.id);
    if (members + pending > limit) throw new AppError("limit_reached", downgradeRefusal(org.name, plan, limit, members, pending));
  }
  await tx.update(organizations).set({ plan }).where(eq(organizations.id, org.id));
  await recordActivity(tx, {
    orgId: org.id,
    actor,
    type: "plan.changed",
    target: { type: "plan", id: org.id, label: `${planLabel(org.plan)} → ${PLANS[plan].label}` },
    metadata: { from: org.plan, to: plan },
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

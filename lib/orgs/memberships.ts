import "server-only";

import { and, count, eq, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { memberships, users } from "@/db/schema";
import { recordActivity } from "@/lib/activity/record";
import type { Actor } from "@/lib/core/actor";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { inTransaction } from "@/lib/core/transaction";
import type { PlanId } from "@/lib/shared/plans";
import { LAST_OWNER_MESSAGE, type Role } from "@/lib/shared/roles";

import { listMemberships, lockOrgForMember, type OrgRef } from "./access";

export function orgLimitMessage(limit: number): string {
  return `You can be a member of at most ${limit} organizations. Contact support (${env().SUPPORT_EMAIL}) to raise this limit.`;
}

/**
 * Adds the user to the org unless that would pass their organization limit.
 * The caller holds the org row lock; this locks the user row (always in that
 * order, so two such transactions cannot deadlock) before counting.
 */
export async function addMemberWithinOrgLimit(tx: Db, userId: string, orgId: string, role: Role = "member"): Promise<void> {
  const [user] = await tx.select({ maxOrgs: users.maxOrgs }).from(users).where(eq(users.id, userId)).for("update");
  if (!user) throw new AppError("unauthorized", "Sign in again to continue.");
  const limit = user.maxOrgs ?? env().ORG_LIMIT_PER_USER;
  const [current] = await tx.select({ value: count() }).from(memberships).where(eq(memberships.userId, userId));
  if ((current?.value ?? 0) >= limit) throw new AppError("limit_reached", orgLimitMessage(limit));
  await tx.insert(memberships).values({ orgId, userId, role });
}

export interface UserOrganization {
  id: string;
  name: string;
  plan: PlanId;
  joinedAt: Date;
}

/** The user's orgs by name, as lists show them (the rows of `listMemberships`). */
export async function listUserOrganizations(db: Db, userId: string): Promise<UserOrganization[]> {
  return (await listMemberships(db, userId)).map(({ org, joinedAt }) => ({ id: org.id, name: org.name, plan: org.plan, joinedAt }));
}

/** Remembers the org the user is looking at, so `/` and sign-in land there next time. */
export async function rememberLastOrg(db: Db, userId: string, orgId: string): Promise<void> {
  await db
    .update(users)
    .set({ lastOrgId: orgId })
    .where(and(eq(users.id, userId), sql`${users.lastOrgId} is distinct from ${orgId}`));
}

/** Where the user lands: the last org used if still a member, else their first org by name, else nothing (onboarding). */
export function pickLandingOrg(orgs: Pick<UserOrganization, "id" | "name">[], lastOrgId: string | null): string | undefined {
  return (orgs.find((org) => org.id === lastOrgId) ?? orgs[0])?.name;
}

export async function landingOrgName(db: Db, userId: string): Promise<string | undefined> {
  const [orgs, [user]] = await Promise.all([
    listUserOrganizations(db, userId),
    db.select({ lastOrgId: users.lastOrgId }).from(users).where(eq(users.id, userId)),
  ]);
  return pickLandingOrg(orgs, user?.lastOrgId ?? null);
}

export const LAST_MEMBER_MESSAGE =
  "You are the last member of this organization, so you cannot leave it. Delete the organization instead (Settings → Danger zone).";

/**
 * Leaves an org. The last member cannot (an organization always has at least one
 * member), nor can its last owner while others remain (it always has an owner).
 * Both counts are taken under the org row lock, so two leaving at once cannot
 * both pass.
 */
export async function leaveOrganization(db: Db, actor: Actor, input: { org: OrgRef }): Promise<void> {
  await inTransaction(db, async (tx) => {
    const { org, role } = await lockOrgForMember(tx, actor.userId, input.org, "org.view");
    if ((await countMembers(tx, org.id)) <= 1) throw new AppError("conflict", LAST_MEMBER_MESSAGE);
    if (role === "owner" && (await countOwners(tx, org.id)) <= 1) throw new AppError("conflict", LAST_OWNER_MESSAGE);
    await tx.delete(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, actor.userId)));
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: "member.left",
      target: { type: "user", id: actor.userId, label: actor.email },
    });
  });
}

/** Owners of an org; callers hold the org row lock when they act on the number. */
export async function countOwners(db: Db, orgId: string): Promise<number> {
  const [row] = await db
    .select({ value: count() })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
  return row?.value ?? 0;
}

export async function countMembers(db: Db, orgId: string): Promise<number> {
  const [row] = await db.select({ value: count() }).from(memberships).where(eq(memberships.orgId, orgId));
  return row?.value ?? 0;
}

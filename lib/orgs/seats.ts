import "server-only";

import { and, count, eq } from "drizzle-orm";

import type { Db } from "@/db";
import { invitations, memberships } from "@/db/schema";
import { AppError } from "@/lib/core/errors";
import { notExpired } from "@/lib/core/expiry";
import { seatLimit, seatLimitMessage, type BillingStateOf, type PlanId } from "@/lib/shared/plans";

import { requireMembership, type OrgRef } from "./access";

export interface SeatUsage {
  members: number;
  pending: number;
  limit: number | null;
  taken: number;
  full: boolean;
}

/** The seats of an org the user is a member of (membership checked). */
export async function getSeatUsage(db: Db, userId: string, orgRef: OrgRef): Promise<SeatUsage> {
  const { org } = await requireMembership(db, userId, orgRef);
  return seatUsage(db, org);
}

/**
 * What the members and billing pages show: seats taken against the org's limit, and
 * whether it is full. The members are the org row's kept count (no count of 10,000
 * rows per page view); limits are enforced by seatsUsed under the org row lock.
 */
export async function seatUsage(
  db: Db,
  org: { id: string; plan: PlanId; maxMembers: number | null; memberCount: number } & BillingStateOf,
): Promise<SeatUsage> {
  const members = org.memberCount;
  const pending = await pendingInvitationCount(db, org.id);
  const limit = seatLimit(org);
  const taken = members + pending;
  return { members, pending, limit, taken, full: limit !== null && taken >= limit };
}

/**
 * Seats taken in an org: its members plus its pending, unexpired invitations.
 * Callers count under the org row lock (lockOrgForMember) so the number cannot
 * change before they act on it.
 */
export async function seatsUsed(tx: Db, orgId: string): Promise<{ members: number; pending: number }> {
  const [[members], pending] = await Promise.all([
    tx.select({ value: count() }).from(memberships).where(eq(memberships.orgId, orgId)),
    pendingInvitationCount(tx, orgId),
  ]);
  return { members: members?.value ?? 0, pending };
}

/** An org's pending, unexpired invitations: each holds a seat. */
async function pendingInvitationCount(db: Db, orgId: string): Promise<number> {
  const [pending] = await db
    .select({ value: count() })
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.status, "pending"), notExpired(invitations.expiresAt)));
  return pending?.value ?? 0;
}

/** The one seat rule: does one more fit? (`limit` null is unlimited.) */
export function hasFreeSeat(limit: number | null, taken: number): boolean {
  return limit === null || taken < limit;
}

/**
 * Refuses to take a seat the org does not have, with the plan's message. Counts
 * members and pending invitations, or members only when the seat being filled is
 * a pending invitation's (accepting one). The caller holds the org row lock.
 */
export async function assertSeatAvailable(
  tx: Db,
  org: { id: string; plan: PlanId; maxMembers: number | null } & BillingStateOf,
  options: { membersOnly?: boolean } = {},
): Promise<void> {
  const limit = seatLimit(org);
  if (limit === null) return;
  const { members, pending } = await seatsUsed(tx, org.id);
  if (!hasFreeSeat(limit, options.membersOnly ? members : members + pending))
    throw new AppError("limit_reached", seatLimitMessage(limit, org));
}

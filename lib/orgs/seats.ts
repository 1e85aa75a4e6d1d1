import "server-only";

import { and, count, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { invitations, memberships } from "@/db/schema";
import { seatLimit } from "@/lib/shared/plans";
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

/** What the members page shows: seats taken against the org's limit, and whether it is full. */
export async function seatUsage(db: Db, org: { id: string; plan: string; maxMembers: number | null }): Promise<SeatUsage> {
  const { members, pending } = await seatsUsed(db, org.id);
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
  const [[members], [pending]] = await Promise.all([
    tx.select({ value: count() }).from(memberships).where(eq(memberships.orgId, orgId)),
    tx
      .select({ value: count() })
      .from(invitations)
      .where(and(eq(invitations.orgId, orgId), eq(invitations.status, "pending"), gt(invitations.expiresAt, sql`now()`))),
  ]);
  return { members: members?.value ?? 0, pending: pending?.value ?? 0 };
}

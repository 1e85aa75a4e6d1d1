import { and, count, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { invitations, memberships } from "@/db/schema";

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

import "server-only";

import { and, eq, inArray, lt, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { authTokens, invitations, organizations, rateLimits } from "@/db/schema";
import type { PaymentProvider } from "@/lib/billing/provider";
import { queueCustomerDeletion } from "@/lib/billing/provider-jobs";
import { isUuid } from "@/lib/core/ids";
import { inTransaction } from "@/lib/core/transaction";

/** How long an expired invitation stays listed (as expired, to be sent again) before it is purged. */
export const EXPIRED_INVITATION_RETENTION_DAYS = 30;

/**
 * Purges what can no longer be used: one-time links (reset, verification) a day
 * after they expired, and pending invitations 30 days after they expired. An
 * expired invitation is nobody's change, so no activity entry: its `invitation.sent`
 * entry stays in the org's stream.
 */
export async function purgeExpired(db: Db): Promise<{ links: number; invitations: number }> {
  const links = await db
    .delete(authTokens)
    .where(lt(authTokens.expiresAt, sql`now() - interval '1 day'`))
    .returning({ id: authTokens.id });
  const purged = await db
    .delete(invitations)
    .where(
      and(
        eq(invitations.status, "pending"),
        lt(invitations.expiresAt, sql`now() - make_interval(days => ${EXPIRED_INVITATION_RETENTION_DAYS})`),
      ),
    )
    .returning({ id: invitations.id });
  return { links: links.length, invitations: purged.length };
}

/** Drops rate-limit windows that ended (the longest window is a day). */
export async function trimRateLimits(db: Db): Promise<number> {
  const trimmed = await db
    .delete(rateLimits)
    .where(lt(rateLimits.windowStart, sql`now() - interval '2 days'`))
    .returning({ key: rateLimits.key });
  return trimmed.length;
}

/**
 * Deletes the provider's customers whose org no longer exists: a safety net
 * behind the deletion job that `deleteOrganization` queues (an org deleted before
 * jobs existed, or by hand in the database).
 */
export async function reconcileProviderCustomers(db: Db, provider: PaymentProvider): Promise<number> {
  let batch: { customerId: string; orgId: string }[] = [];
  let queued = 0;
  const flush = async () => {
    const ids = [...new Set(batch.map((c) => c.orgId))].filter(isUuid);
    const existing = ids.length
      ? new Set((await db.select({ id: organizations.id }).from(organizations).where(inArray(organizations.id, ids))).map((o) => o.id))
      : new Set<string>();
    const orphans = batch.filter((c) => !existing.has(c.orgId));
    if (orphans.length) {
      await inTransaction(db, async (tx) => {
        for (const orphan of orphans) await queueCustomerDeletion(tx, orphan.customerId);
      });
    }
    queued += orphans.length;
    batch = [];
  };
  for await (const customer of provider.listOrgCustomers()) {
    batch.push(customer);
    if (batch.length >= 100) await flush();
  }
  if (batch.length) await flush();
  return queued;
}

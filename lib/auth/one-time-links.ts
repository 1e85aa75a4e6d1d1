import "server-only";

import { and, eq, isNull, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { authTokens } from "@/db/schema";
import { hasExpired, notExpired } from "@/lib/core/expiry";
import { hashToken, newSecretToken } from "@/lib/core/secure-token";

export type LinkPurpose = (typeof authTokens.$inferSelect)["purpose"];

export const LINK_LIFETIME_SECONDS: Record<LinkPurpose, number> = {
  verify_email: 48 * 3600,
  reset_password: 3600,
};

/** Creates a one-time link secret for the user; returns the secret (only its hash is stored). */
export async function issueLinkToken(db: Db, userId: string, purpose: LinkPurpose): Promise<string> {
  const token = newSecretToken();
  await db.insert(authTokens).values({
    userId,
    purpose,
    tokenHash: hashToken(token),
    expiresAt: sql`now() + make_interval(secs => ${LINK_LIFETIME_SECONDS[purpose]})`,
  });
  return token;
}

/**
 * Marks the link used and returns its user, or nothing when the link is unknown,
 * used or expired. The WHERE clause re-checks all three, so two parallel uses of
 * one link cannot both succeed.
 */
export async function consumeLinkToken(db: Db, token: string, purpose: LinkPurpose): Promise<string | undefined> {
  const [row] = await db
    .update(authTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(authTokens.tokenHash, hashToken(token)),
        eq(authTokens.purpose, purpose),
        isNull(authTokens.usedAt),
        notExpired(authTokens.expiresAt),
      ),
    )
    .returning({ userId: authTokens.userId });
  return row?.userId;
}

export type LinkState = "valid" | "used" | "expired" | "unknown";

/** Read-only: what a GET on the link shows. */
export async function inspectLinkToken(db: Db, token: string, purpose: LinkPurpose): Promise<LinkState> {
  const [row] = await db
    .select({ usedAt: authTokens.usedAt, expired: hasExpired(authTokens.expiresAt) })
    .from(authTokens)
    .where(and(eq(authTokens.tokenHash, hashToken(token)), eq(authTokens.purpose, purpose)));
  if (!row) return "unknown";
  if (row.usedAt) return "used";
  return row.expired ? "expired" : "valid";
}

/** Kills every unused link of that purpose for the user (a reset ends older reset links). */
export async function revokeLinkTokens(db: Db, userId: string, purpose: LinkPurpose): Promise<void> {
  await db
    .update(authTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, purpose), isNull(authTokens.usedAt)));
}

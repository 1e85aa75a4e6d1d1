import "server-only";

import { eq, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { users } from "@/db/schema";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { describeRetryAfter, hitRateLimit } from "@/lib/core/rate-limit";
import { inTransaction } from "@/lib/core/transaction";

import { consumeLinkToken, inspectLinkToken } from "./one-time-links";
import { queueVerificationEmail } from "./sign-up";

export type VerifyResult = "verified" | "used" | "expired" | "unknown";

/** Opening the e-mailed link proves the address. */
export async function verifyEmail(db: Db, token: string): Promise<VerifyResult> {
  if (!token || token.length > 200) return "unknown";
  const verified = await inTransaction(db, async (tx) => {
    const userId = await consumeLinkToken(tx, token, "verify_email");
    if (!userId) return false;
    await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` })
      .where(eq(users.id, userId));
    return true;
  });
  if (verified) return "verified";
  const state = await inspectLinkToken(db, token, "verify_email");
  return state === "valid" ? "unknown" : state;
}

export async function resendVerificationEmail(db: Db, actor: { userId: string }): Promise<{ alreadyVerified: boolean }> {
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user) throw new AppError("unauthorized", "Sign in again to continue.");
  if (user.emailVerifiedAt) return { alreadyVerified: true };
  const limit = await hitRateLimit(db, `account-email:${user.email}`, env().EMAIL_LINK_LIMIT_PER_ACCOUNT, 3600);
  if (!limit.allowed) {
    throw new AppError("rate_limited", `We already sent several e-mails. Try again ${describeRetryAfter(limit.retryAfterSeconds)}.`);
  }
  await inTransaction(db, (tx) => queueVerificationEmail(tx, user));
  return { alreadyVerified: false };
}

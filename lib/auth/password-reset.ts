import "server-only";

import { eq, sql } from "drizzle-orm";
import { createElement } from "react";

import type { Db } from "@/db";
import { users } from "@/db/schema";
import ResetPassword, { resetPasswordSubject } from "@/emails/reset-password";
import { revokeApiTokensOf } from "@/lib/api-tokens/api-tokens";
import type { Actor } from "@/lib/core/actor";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { parseOrThrow } from "@/lib/core/parse";
import { hitRateLimit } from "@/lib/core/rate-limit";
import { inTransaction } from "@/lib/core/transaction";
import { appUrl } from "@/lib/core/urls";
import { queueEmail } from "@/lib/mail/send";
import { forgotPasswordSchema, resetPasswordSchema } from "@/lib/shared/validation";

import { consumeLinkToken, inspectLinkToken, issueLinkToken, revokeLinkTokens, type LinkState } from "./one-time-links";
import { COMMON_PASSWORD_MESSAGE, hashPassword, isCommonPassword } from "./passwords";

export { RESET_REQUESTED_MESSAGE } from "@/lib/shared/messages";

export function parseForgotPassword(input: { email: unknown }) {
  return parseOrThrow(forgotPasswordSchema, input);
}

/**
 * E-mails a reset link when the account exists. Its answer never depends on that:
 * callers run it after responding (next/server `after`) and show RESET_REQUESTED_MESSAGE.
 */
export async function requestPasswordReset(db: Db, input: { email: unknown }): Promise<void> {
  const { email } = parseForgotPassword(input);
  const limit = await hitRateLimit(db, `account-email:${email}`, env().EMAIL_LINK_LIMIT_PER_ACCOUNT, 3600);
  if (!limit.allowed) return;
  const [user] = await db.select().from(users).where(eq(users.email, email));
  if (!user) return;
  // The link and its e-mail exist together or not at all.
  await inTransaction(db, async (tx) => {
    const token = await issueLinkToken(tx, user.id, "reset_password");
    await queueEmail(tx, {
      template: "reset-password",
      to: user.email,
      subject: resetPasswordSubject(),
      react: createElement(ResetPassword, { name: user.name, resetUrl: appUrl(`/reset-password/${token}`) }),
      secrets: [token],
    });
  });
}

export function inspectResetLink(db: Db, token: string): Promise<LinkState> {
  return token.length > 200 ? Promise.resolve("unknown") : inspectLinkToken(db, token, "reset_password");
}

/**
 * Sets a new password from a reset link. The link is single-use; the reset ends
 * every session (session version bump), kills other reset links and, since the
 * link came by e-mail, marks the address verified. Unless `revokeApiTokens` is
 * false, it also revokes every API token the user owns, in the same transaction.
 */
export async function resetPassword(
  db: Db,
  input: { token: unknown; password: unknown; revokeApiTokens?: unknown },
  request: Pick<Actor, "ip" | "userAgent"> = {},
): Promise<{ email: string; revokedApiTokens: number }> {
  const parsed = { data: parseOrThrow(resetPasswordSchema, input) };
  if (isCommonPassword(parsed.data.password)) {
    throw new AppError("validation", "Check the highlighted fields.", { password: [COMMON_PASSWORD_MESSAGE] });
  }
  const passwordHash = await hashPassword(parsed.data.password);
  return inTransaction(db, async (tx) => {
    const userId = await consumeLinkToken(tx, parsed.data.token, "reset_password");
    if (!userId) throw new AppError("not_found", "This reset link is invalid, expired or already used. Ask for a new one.");
    await revokeLinkTokens(tx, userId, "reset_password");
    const [user] = await tx
      .update(users)
      .set({
        passwordHash,
        sessionVersion: sql`${users.sessionVersion} + 1`,
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`,
      })
      .where(eq(users.id, userId))
      .returning({ email: users.email, name: users.name });
    if (!user) throw new AppError("not_found", "This reset link is invalid, expired or already used. Ask for a new one.");
    const revokedApiTokens = parsed.data.revokeApiTokens
      ? await revokeApiTokensOf(tx, { userId, name: user.name, email: user.email, ...request }, "password_reset")
      : 0;
    return { email: user.email, revokedApiTokens };
  });
}

import { createElement } from "react";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { users } from "@/db/schema";
import ResetPassword, { resetPasswordSubject } from "@/emails/reset-password";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { sendEmail } from "@/lib/mail";
import { hitRateLimit } from "@/lib/rate-limit";
import { inTransaction } from "@/lib/transaction";
import { fieldErrorsOf, forgotPasswordSchema, resetPasswordSchema } from "@/lib/validation";
import { appUrl } from "./links";
import { consumeLinkToken, inspectLinkToken, issueLinkToken, revokeLinkTokens, type LinkState } from "./one-time-links";
import { COMMON_PASSWORD_MESSAGE, hashPassword, isCommonPassword } from "./passwords";

export { RESET_REQUESTED_MESSAGE } from "./reset-messages";

export function parseForgotPassword(input: { email: unknown }) {
  const parsed = forgotPasswordSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation", "Check the highlighted fields.", fieldErrorsOf(parsed.error));
  return parsed.data;
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
  const token = await issueLinkToken(db, user.id, "reset_password");
  await sendEmail(db, {
    template: "reset-password",
    to: user.email,
    subject: resetPasswordSubject(),
    react: createElement(ResetPassword, { name: user.name, resetUrl: appUrl(`/reset-password/${token}`) }),
    secrets: [token],
  });
}

export function inspectResetLink(db: Db, token: string): Promise<LinkState> {
  return token.length > 200 ? Promise.resolve("unknown") : inspectLinkToken(db, token, "reset_password");
}

/**
 * Sets a new password from a reset link. The link is single-use; the reset ends
 * every session (session version bump), kills other reset links and, since the
 * link came by e-mail, marks the address verified.
 */
export async function resetPassword(db: Db, input: { token: unknown; password: unknown }): Promise<{ email: string }> {
  const parsed = resetPasswordSchema.safeParse(input);
  if (!parsed.success) throw new AppError("validation", "Check the highlighted fields.", fieldErrorsOf(parsed.error));
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
      .returning({ email: users.email });
    if (!user) throw new AppError("not_found", "This reset link is invalid, expired or already used. Ask for a new one.");
    return user;
  });
}

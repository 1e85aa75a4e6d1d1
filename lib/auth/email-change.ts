import "server-only";

import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { createElement } from "react";

import type { Db } from "@/db";
import { emailChanges, users } from "@/db/schema";
import AccountExists, { accountExistsSubject } from "@/emails/account-exists";
import ConfirmEmailChange, { confirmEmailChangeSubject } from "@/emails/confirm-email-change";
import EmailChangeRequested, { emailChangeRequestedSubject } from "@/emails/email-change-requested";
import { env } from "@/lib/core/env";
import { answerUniqueViolation, AppError, pgConstraintName } from "@/lib/core/errors";
import { hasExpired, notExpired } from "@/lib/core/expiry";
import { parseOrThrow } from "@/lib/core/parse";
import { describeRetryAfter, hitRateLimit } from "@/lib/core/rate-limit";
import { hashToken, newSecretToken } from "@/lib/core/secure-token";
import { inTransaction } from "@/lib/core/transaction";
import { appUrl } from "@/lib/core/urls";
import { queueEmail } from "@/lib/mail/send";
import { changeEmailSchema, EMAIL_CHANGE_LINK_HOURS, EMAIL_TAKEN_MESSAGE } from "@/lib/shared/account-lifecycle";

import { revokeLinkTokens, type LinkState } from "./one-time-links";
import { verifyPassword } from "./passwords";
import { countPasswordGuess } from "./sign-in";

export const EMAIL_CHANGE_LINK_INVALID = "This link is invalid, expired or already used. Ask for a new one from your profile.";

const unauthorized = () => new AppError("unauthorized", "Sign in again to continue.");

/**
 * Asks to move the account to a new address. Needs the current password (counted
 * with sign-in attempts, like a password change). The address changes only when the
 * link e-mailed to the new address is used (`confirmEmailChange`); the old address
 * is told, with a way to stop a stranger. When the new address already has an
 * account, that address gets the "you already have an account" notice instead of a
 * link, and the answer is the same (no account enumeration). A new request ends the
 * user's earlier pending ones. The e-mails are queued in the request's transaction.
 */
export async function requestEmailChange(
  db: Db,
  actor: { userId: string },
  input: { newEmail: unknown; currentPassword: unknown },
): Promise<{ newEmail: string }> {
  const { newEmail, currentPassword } = parseOrThrow(changeEmailSchema, input);
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user) throw unauthorized();
  const guesses = await countPasswordGuess(db, user.email);
  if (!guesses.allowed) {
    throw new AppError("rate_limited", `Too many password attempts. Try again ${describeRetryAfter(guesses.retryAfterSeconds)}.`);
  }
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new AppError("validation", "Check the highlighted fields.", { currentPassword: ["Your current password is not correct."] });
  }
  if (newEmail === user.email) {
    throw new AppError("validation", "Check the highlighted fields.", { newEmail: ["This is already your email address."] });
  }
  // Each request e-mails two addresses: limited per account, as other e-mailed links are.
  const limit = await hitRateLimit(db, `account-email:${user.email}`, env().EMAIL_LINK_LIMIT_PER_ACCOUNT, 3600);
  if (!limit.allowed) {
    throw new AppError("rate_limited", `We already sent several e-mails. Try again ${describeRetryAfter(limit.retryAfterSeconds)}.`);
  }
  await inTransaction(db, async (tx) => {
    await endPendingEmailChanges(tx, user.id);
    const [owner] = await tx.select({ name: users.name }).from(users).where(eq(users.email, newEmail));
    if (owner) {
      await queueEmail(tx, {
        template: "account-exists",
        to: newEmail,
        subject: accountExistsSubject(),
        react: createElement(AccountExists, { name: owner.name, signInUrl: appUrl("/sign-in"), resetUrl: appUrl("/forgot-password") }),
      });
    } else {
      const token = newSecretToken();
      await tx.insert(emailChanges).values({
        userId: user.id,
        newEmail,
        tokenHash: hashToken(token),
        expiresAt: sql`now() + make_interval(hours => ${EMAIL_CHANGE_LINK_HOURS})`,
      });
      await queueEmail(tx, {
        template: "confirm-email-change",
        to: newEmail,
        subject: confirmEmailChangeSubject(),
        react: createElement(ConfirmEmailChange, { name: user.name, newEmail, confirmUrl: appUrl(`/confirm-email/${token}`) }),
        secrets: [token],
      });
    }
    await queueEmail(tx, {
      template: "email-change-requested",
      to: user.email,
      subject: emailChangeRequestedSubject(),
      react: createElement(EmailChangeRequested, {
        name: user.name,
        newEmail,
        resetUrl: appUrl("/forgot-password"),
        supportEmail: env().SUPPORT_EMAIL,
      }),
    });
  });
  return { newEmail };
}

async function endPendingEmailChanges(tx: Db, userId: string): Promise<void> {
  await tx
    .update(emailChanges)
    .set({ usedAt: sql`now()` })
    .where(and(eq(emailChanges.userId, userId), isNull(emailChanges.usedAt)));
}

/** Read-only: what opening the link shows (the page asks to confirm; only confirming uses it). */
export async function inspectEmailChangeLink(db: Db, token: string): Promise<{ state: LinkState; newEmail?: string }> {
  if (!token || token.length > 200) return { state: "unknown" };
  const [row] = await db
    .select({ usedAt: emailChanges.usedAt, expired: hasExpired(emailChanges.expiresAt), newEmail: emailChanges.newEmail })
    .from(emailChanges)
    .where(eq(emailChanges.tokenHash, hashToken(token)));
  if (!row) return { state: "unknown" };
  if (row.usedAt) return { state: "used" };
  return { state: row.expired ? "expired" : "valid", newEmail: row.newEmail };
}

/**
 * Uses the link: the account moves to the new address (verified, since the link
 * reached it), every session of the user ends (session version bump; the caller
 * re-opens the confirming browser's session when it is the user's), and the links
 * sent to the old address (password reset, verification) stop working.
 * Addresses stay unique under races: the unique index decides between two accounts
 * confirming the same address at once, and the loser gets EMAIL_TAKEN_MESSAGE with
 * its link left unused (the whole transaction rolls back).
 */
export async function confirmEmailChange(
  db: Db,
  input: { token: unknown },
): Promise<{ userId: string; email: string; previousEmail: string; sessionVersion: number }> {
  const token = typeof input.token === "string" && input.token.length <= 200 ? input.token : "";
  if (!token) throw new AppError("not_found", EMAIL_CHANGE_LINK_INVALID);
  return answerUniqueViolation(
    () =>
      inTransaction(db, async (tx) => {
        const [change] = await tx
          .update(emailChanges)
          .set({ usedAt: sql`now()` })
          .where(and(eq(emailChanges.tokenHash, hashToken(token)), isNull(emailChanges.usedAt), notExpired(emailChanges.expiresAt)))
          .returning({ userId: emailChanges.userId, newEmail: emailChanges.newEmail });
        if (!change) throw new AppError("not_found", EMAIL_CHANGE_LINK_INVALID);
        const [taken] = await tx
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.email, change.newEmail), ne(users.id, change.userId)));
        if (taken) throw new AppError("conflict", EMAIL_TAKEN_MESSAGE);
        const [before] = await tx.select({ email: users.email }).from(users).where(eq(users.id, change.userId)).for("update");
        if (!before) throw new AppError("not_found", EMAIL_CHANGE_LINK_INVALID);
        const [updated] = await tx
          .update(users)
          .set({
            email: change.newEmail,
            emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`,
            sessionVersion: sql`${users.sessionVersion} + 1`,
          })
          .where(eq(users.id, change.userId))
          .returning({ email: users.email, sessionVersion: users.sessionVersion });
        if (!updated) throw new AppError("not_found", EMAIL_CHANGE_LINK_INVALID);
        await endPendingEmailChanges(tx, change.userId);
        await revokeLinkTokens(tx, change.userId, "reset_password");
        await revokeLinkTokens(tx, change.userId, "verify_email");
        return { userId: change.userId, email: updated.email, previousEmail: before.email, sessionVersion: updated.sessionVersion };
      }),
    (error) => {
      if (pgConstraintName(error) === "users_email_unique") return new AppError("conflict", EMAIL_TAKEN_MESSAGE);
      throw error;
    },
  );
}

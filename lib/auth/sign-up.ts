import "server-only";

import { eq } from "drizzle-orm";
import { createElement } from "react";

import type { Db } from "@/db";
import { users, type User } from "@/db/schema";
import AccountExists, { accountExistsSubject } from "@/emails/account-exists";
import VerifyEmail, { verifyEmailSubject } from "@/emails/verify-email";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { parseOrThrow } from "@/lib/core/parse";
import { describeRetryAfter, hitRateLimit } from "@/lib/core/rate-limit";
import { inTransaction } from "@/lib/core/transaction";
import { appUrl } from "@/lib/core/urls";
import { queueEmail } from "@/lib/mail/send";
import { signUpSchema } from "@/lib/shared/validation";

import { issueLinkToken } from "./one-time-links";
import { COMMON_PASSWORD_MESSAGE, hashPassword, isCommonPassword } from "./passwords";

export interface SignUpInput {
  name: unknown;
  email: unknown;
  password: unknown;
}

/** Parses and checks a new account's fields; throws an AppError with field errors. */
export function parseSignUp(input: SignUpInput) {
  const data = parseOrThrow(signUpSchema, input);
  if (isCommonPassword(data.password)) {
    throw new AppError("validation", "Check the highlighted fields.", { password: [COMMON_PASSWORD_MESSAGE] });
  }
  return data;
}

/**
 * Creates an account and e-mails a verification link; the new account comes
 * back as `created`, for the caller to sign it in at once. When the email
 * already has an account, that account gets a "you already have an account"
 * e-mail instead, in about the same time (the password is hashed either way and
 * one e-mail is sent either way), and nobody is signed in.
 */
export async function signUp(
  db: Db,
  input: SignUpInput,
  context: { ip: string },
): Promise<{ email: string; created?: { id: string; sessionVersion: number } }> {
  const data = parseSignUp(input);
  const perIp = await hitRateLimit(db, `sign-up:ip:${context.ip}`, env().SIGN_UP_LIMIT_PER_IP, 3600);
  if (!perIp.allowed) {
    throw new AppError("rate_limited", `Too many sign-ups from your network. Try again ${describeRetryAfter(perIp.retryAfterSeconds)}.`);
  }
  const passwordHash = await hashPassword(data.password);
  // The account and its verification e-mail are written together.
  const created = await inTransaction(db, async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email: data.email, name: data.name, passwordHash })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (user) await queueVerificationEmail(tx, user);
    return user;
  });

  if (created) {
    return { email: data.email, created: { id: created.id, sessionVersion: created.sessionVersion } };
  } else {
    const [existing] = await db.select().from(users).where(eq(users.email, data.email));
    const allowed = await hitRateLimit(db, `account-email:${data.email}`, env().EMAIL_LINK_LIMIT_PER_ACCOUNT, 3600);
    if (existing && allowed.allowed) {
      await inTransaction(db, (tx) =>
        queueEmail(tx, {
          template: "account-exists",
          to: existing.email,
          subject: accountExistsSubject(),
          react: createElement(AccountExists, {
            name: existing.name,
            signInUrl: appUrl("/sign-in"),
            resetUrl: appUrl("/forgot-password"),
          }),
        }),
      );
    }
  }
  return { email: data.email };
}

/** Issues a verification link and queues its e-mail, in the caller's transaction. */
export async function queueVerificationEmail(tx: Db, user: Pick<User, "id" | "email" | "name">): Promise<void> {
  const token = await issueLinkToken(tx, user.id, "verify_email");
  await queueEmail(tx, {
    template: "verify-email",
    to: user.email,
    subject: verifyEmailSubject(),
    react: createElement(VerifyEmail, { name: user.name, verifyUrl: appUrl(`/verify-email/${token}`) }),
    secrets: [token],
  });
}

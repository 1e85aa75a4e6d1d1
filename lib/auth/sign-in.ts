import "server-only";

import { eq } from "drizzle-orm";

import type { Db } from "@/db";
import { users, type User } from "@/db/schema";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { describeRetryAfter, hitRateLimit } from "@/lib/core/rate-limit";
import { signInSchema } from "@/lib/shared/validation";

import { verifyAgainstDummy, verifyPassword } from "./passwords";

export const INVALID_CREDENTIALS = "Invalid email or password.";
const WINDOW_SECONDS = 15 * 60;

/** The per-account counter of password guesses, shared by sign-in and password change (one secret, one budget). */
export function countPasswordGuess(db: Db, email: string) {
  return hitRateLimit(db, `sign-in:account:${email}`, env().SIGN_IN_LIMIT_PER_ACCOUNT, WINDOW_SECONDS);
}

/**
 * Checks an email and password. Every failure reads the same ("Invalid email or
 * password.") and takes as long, whether or not the account exists. Attempts are
 * counted per account and per IP in Postgres, so the limit holds across instances.
 */
export async function authenticate(db: Db, input: { email: unknown; password: unknown }, context: { ip: string }): Promise<User> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) throw new AppError("unauthorized", INVALID_CREDENTIALS);
  const { email, password } = parsed.data;
  const config = env();

  const [perAccount, perIp] = await Promise.all([
    countPasswordGuess(db, email),
    hitRateLimit(db, `sign-in:ip:${context.ip}`, config.SIGN_IN_LIMIT_PER_IP, WINDOW_SECONDS),
  ]);
  if (!perAccount.allowed || !perIp.allowed) {
    const wait = Math.max(perAccount.allowed ? 0 : perAccount.retryAfterSeconds, perIp.allowed ? 0 : perIp.retryAfterSeconds);
    throw new AppError("rate_limited", `Too many sign-in attempts. Try again ${describeRetryAfter(wait)}.`);
  }

  const [user] = await db.select().from(users).where(eq(users.email, email));
  const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
  if (!user || !valid) throw new AppError("unauthorized", INVALID_CREDENTIALS);
  return user;
}

import "server-only";

import { and, count, eq, isNull, lt, or, sql } from "drizzle-orm";
import QRCode from "qrcode";
import { createElement } from "react";

import type { Db } from "@/db";
import { twoFactorRecoveryCodes, users, type User } from "@/db/schema";
import TwoFactorChanged, { twoFactorChangedSubject } from "@/emails/two-factor-changed";
import type { Actor as SharedActor } from "@/lib/core/actor";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { describeRetryAfter, hitRateLimit } from "@/lib/core/rate-limit";
import { inTransaction } from "@/lib/core/transaction";
import { appUrl } from "@/lib/core/urls";
import { queueEmail } from "@/lib/mail/send";

import { verifyPassword } from "./passwords";
import { countPasswordGuess } from "./sign-in";
import {
  createTwoFactorChallenge,
  hashRecoveryCode,
  isRecoveryCodeShape,
  matchTotpStep,
  newRecoveryCodes,
  newTotpSecret,
  normaliseCode,
  openTotpSecret,
  readTwoFactorChallenge,
  sealTotpSecret,
  totpUri,
} from "./two-factor-codes";

type Actor = Pick<SharedActor, "userId">;

export const WRONG_CODE = "That code is not valid. Enter the current code from your authenticator app, or an unused recovery code.";
const EXPIRED_CHALLENGE = "Your sign-in took too long. Enter your email and password again.";
const WINDOW_SECONDS = 15 * 60;

/** Guesses at a user's second factor: one budget for sign-in, set-up and turning it off (as passwords share one). */
export async function countCodeGuess(db: Db, userId: string, ip?: string): Promise<void> {
  const config = env();
  const [perUser, perIp] = await Promise.all([
    hitRateLimit(db, `two-factor:user:${userId}`, config.SIGN_IN_LIMIT_PER_ACCOUNT, WINDOW_SECONDS),
    ip ? hitRateLimit(db, `two-factor:ip:${ip}`, config.SIGN_IN_LIMIT_PER_IP, WINDOW_SECONDS) : undefined,
  ]);
  const refused = [perUser, perIp].filter((hit) => hit && !hit.allowed);
  if (refused.length > 0) {
    const wait = Math.max(...refused.map((hit) => hit!.retryAfterSeconds));
    throw new AppError("rate_limited", `Too many code attempts. Try again ${describeRetryAfter(wait)}.`);
  }
}

/**
 * Whether `code` is the user's current TOTP code or one of their unused recovery
 * codes, using it up: a TOTP step is accepted once (the last one is stored), a
 * recovery code is marked used by the same statement that finds it, so two
 * parallel uses cannot both pass. Exported for other account changes that need a
 * code with two-factor on (account deletion): call it in the change's transaction,
 * after countCodeGuess (one attempt budget for every code check).
 */
export async function consumeSecondFactor(
  tx: Db,
  user: Pick<User, "id" | "twoFactorSecret">,
  typed: unknown,
): Promise<"totp" | "recovery" | undefined> {
  const code = normaliseCode(typed);
  if (isRecoveryCodeShape(code)) {
    const [used] = await tx
      .update(twoFactorRecoveryCodes)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(twoFactorRecoveryCodes.userId, user.id),
          eq(twoFactorRecoveryCodes.codeHash, hashRecoveryCode(code)),
          isNull(twoFactorRecoveryCodes.usedAt),
        ),
      )
      .returning({ id: twoFactorRecoveryCodes.id });
    return used ? "recovery" : undefined;
  }
  const secret = user.twoFactorSecret ? openTotpSecret(user.twoFactorSecret, user.id) : undefined;
  const step = secret ? matchTotpStep(secret, code) : undefined;
  if (step === undefined) return undefined;
  const [accepted] = await tx
    .update(users)
    .set({ twoFactorLastStep: step })
    .where(and(eq(users.id, user.id), or(isNull(users.twoFactorLastStep), lt(users.twoFactorLastStep, step))))
    .returning({ id: users.id });
  return accepted ? "totp" : undefined;
}

async function findUser(db: Db, userId: string): Promise<User> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("unauthorized", "Sign in again to continue.");
  return user;
}

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
}

export async function getTwoFactorStatus(db: Db, userId: string): Promise<TwoFactorStatus> {
  const [[user], [codes]] = await Promise.all([
    db.select({ enabledAt: users.twoFactorEnabledAt }).from(users).where(eq(users.id, userId)),
    db
      .select({ left: count() })
      .from(twoFactorRecoveryCodes)
      .where(and(eq(twoFactorRecoveryCodes.userId, userId), isNull(twoFactorRecoveryCodes.usedAt))),
  ]);
  return { enabled: Boolean(user?.enabledAt), enabledAt: user?.enabledAt ?? null, recoveryCodesLeft: codes?.left ?? 0 };
}

/**
 * Starts (or restarts) the set-up: a new secret, sealed on the user's row but not
 * yet in force. Returns it for the user's app, as text and as a QR code (an SVG
 * drawn here: nothing is fetched).
 */
export async function beginTwoFactorSetup(db: Db, actor: Actor): Promise<{ secret: string; uri: string; qrSvg: string }> {
  const user = await findUser(db, actor.userId);
  if (user.twoFactorEnabledAt) throw new AppError("conflict", "Two-factor authentication is already on.");
  const secret = newTotpSecret();
  await db
    .update(users)
    .set({ twoFactorSecret: sealTotpSecret(secret, user.id), twoFactorLastStep: null })
    .where(and(eq(users.id, user.id), isNull(users.twoFactorEnabledAt)));
  const uri = totpUri(user.email, secret);
  const qrSvg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  return { secret, uri, qrSvg };
}

/**
 * Turns two-factor on once the user types a code from the set-up's secret.
 * Returns the ten recovery codes, the only time they exist in the clear; an
 * e-mail says it was turned on.
 */
export async function confirmTwoFactorSetup(db: Db, actor: Actor, input: { code: unknown }): Promise<{ recoveryCodes: string[] }> {
  await countCodeGuess(db, actor.userId);
  return inTransaction(db, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, actor.userId)).for("update");
    if (!user) throw new AppError("unauthorized", "Sign in again to continue.");
    if (user.twoFactorEnabledAt) throw new AppError("conflict", "Two-factor authentication is already on.");
    if (!user.twoFactorSecret) throw new AppError("conflict", "Start the set-up again: scan a new QR code.");
    const code = normaliseCode(input.code);
    if ((await consumeSecondFactor(tx, user, code)) !== "totp") {
      throw new AppError("validation", "Check the highlighted fields.", { code: [WRONG_CODE] });
    }
    await tx
      .update(users)
      .set({ twoFactorEnabledAt: sql`now()` })
      .where(eq(users.id, user.id));
    const recoveryCodes = newRecoveryCodes();
    await tx.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, user.id));
    await tx.insert(twoFactorRecoveryCodes).values(recoveryCodes.map((code) => ({ userId: user.id, codeHash: hashRecoveryCode(code) })));
    await queueChangedEmail(tx, user, true);
    return { recoveryCodes };
  });
}

/** Turns two-factor off: needs the password and a code (TOTP or recovery). The secret and recovery codes are erased. */
export async function disableTwoFactor(db: Db, actor: Actor, input: { password: unknown; code: unknown }): Promise<void> {
  const user = await findUser(db, actor.userId);
  if (!user.twoFactorEnabledAt) throw new AppError("conflict", "Two-factor authentication is already off.");
  const guesses = await countPasswordGuess(db, user.email);
  if (!guesses.allowed) {
    throw new AppError("rate_limited", `Too many password attempts. Try again ${describeRetryAfter(guesses.retryAfterSeconds)}.`);
  }
  await countCodeGuess(db, user.id);
  const password = typeof input.password === "string" ? input.password.slice(0, 200) : "";
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw new AppError("validation", "Check the highlighted fields.", { password: ["Your password is not correct."] });
  }
  await inTransaction(db, async (tx) => {
    const [locked] = await tx.select().from(users).where(eq(users.id, user.id)).for("update");
    if (!locked?.twoFactorEnabledAt) throw new AppError("conflict", "Two-factor authentication is already off.");
    if (!(await consumeSecondFactor(tx, locked, input.code))) {
      throw new AppError("validation", "Check the highlighted fields.", { code: [WRONG_CODE] });
    }
    await tx.update(users).set({ twoFactorSecret: null, twoFactorEnabledAt: null, twoFactorLastStep: null }).where(eq(users.id, user.id));
    await tx.delete(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, user.id));
    await queueChangedEmail(tx, locked, false);
  });
}

/** After a right password: a challenge for the code step when the user has two-factor on, else nothing. */
export function twoFactorChallengeFor(user: Pick<User, "id" | "sessionVersion" | "twoFactorEnabledAt">): string | undefined {
  return user.twoFactorEnabledAt ? createTwoFactorChallenge(user) : undefined;
}

/**
 * Sign-in's second step: the challenge from the first (signed, five minutes, same
 * session version) and a code. Attempts are counted per user and per IP. Returns
 * the user to open a session for.
 */
export async function completeTwoFactorSignIn(
  db: Db,
  input: { challenge: unknown; code: unknown },
  context: { ip: string },
): Promise<{ id: string; sessionVersion: number; usedRecoveryCode: boolean }> {
  const challenge = readTwoFactorChallenge(input.challenge);
  if (!challenge) throw new AppError("unauthorized", EXPIRED_CHALLENGE);
  await countCodeGuess(db, challenge.userId, context.ip);
  return inTransaction(db, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, challenge.userId));
    if (!user || user.sessionVersion !== challenge.sessionVersion || !user.twoFactorEnabledAt) {
      throw new AppError("unauthorized", EXPIRED_CHALLENGE);
    }
    const used = await consumeSecondFactor(tx, user, input.code);
    if (!used) throw new AppError("validation", WRONG_CODE, { code: [WRONG_CODE] });
    return { id: user.id, sessionVersion: user.sessionVersion, usedRecoveryCode: used === "recovery" };
  });
}

function queueChangedEmail(tx: Db, user: Pick<User, "email" | "name">, enabled: boolean) {
  return queueEmail(tx, {
    template: enabled ? "two-factor-enabled" : "two-factor-disabled",
    to: user.email,
    subject: twoFactorChangedSubject(enabled),
    react: createElement(TwoFactorChanged, { name: user.name, enabled, securityUrl: appUrl("/account/security") }),
  });
}

import "server-only";

import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { generateSecret, generateURI, verifySync } from "otplib";

import { env } from "@/lib/core/env";
import { hashToken, safeEqual } from "@/lib/core/secure-token";

/**
 * The pieces of two-factor that touch no database: the sealed TOTP secret, the
 * TOTP check, recovery codes and the signed challenge between sign-in's two steps.
 */

export const TOTP_STEP_SECONDS = 30;
// One step either side: a phone's clock a little off, or a code typed as it rolls over.
const TOLERANCE_SECONDS = TOTP_STEP_SECONDS;

export const ISSUER = "Console";
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

let derived: { secret: string; key: Buffer } | undefined;

// A key of its own, derived from AUTH_SECRET (as lib/mail/sealed-body.ts does): a dump of the database opens nothing.
function key(): Buffer {
  const secret = env().AUTH_SECRET;
  if (derived?.secret !== secret)
    derived = { secret, key: Buffer.from(hkdfSync("sha256", secret, "", "console two-factor secret v1", 32)) };
  return derived.key;
}

/** AES-256-GCM bound to the user's id: a sealed secret copied onto another user's row does not open. */
export function sealTotpSecret(secret: string, userId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(`two-factor/${userId}`));
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function openTotpSecret(sealed: string, userId: string): string | undefined {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || ciphertext === undefined) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(`two-factor/${userId}`));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

/** 20 random bytes (160 bits, RFC 4226's recommendation), base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(email: string, secret: string): string {
  return generateURI({ issuer: ISSUER, label: email, secret, period: TOTP_STEP_SECONDS });
}

/** The time step a six-digit code belongs to (now, or one step either side), or undefined when it is wrong. */
export function matchTotpStep(secret: string, code: string, now = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = verifySync({
    secret,
    token: code,
    period: TOTP_STEP_SECONDS,
    epoch: Math.floor(now / 1000),
    epochTolerance: TOLERANCE_SECONDS,
  });
  return result.valid ? Math.floor(now / 1000 / TOTP_STEP_SECONDS) + result.delta : undefined;
}

/** What the user typed, without spaces; a recovery code also lower-cased. */
export function normaliseCode(value: unknown): string {
  return typeof value === "string" ? value.replace(/\s+/g, "").toLowerCase().slice(0, 40) : "";
}

export function isRecoveryCodeShape(code: string): boolean {
  return /^[a-z0-9]{5}-[a-z0-9]{5}$/.test(code);
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(10);
    const chars = Array.from(bytes, (byte) => RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

export const hashRecoveryCode = (code: string) => hashToken(`two-factor-recovery:${code}`);

/**
 * Between the password and the code: proof that the password was right, for this
 * user and session version, for five minutes. Signed like the sign-in proof but
 * with its own purpose, so neither can stand for the other.
 */
const CHALLENGE_LIFETIME_MS = 5 * 60_000;

function signChallenge(payload: string): string {
  return createHmac("sha256", env().AUTH_SECRET).update(`two-factor-challenge:${payload}`).digest("base64url");
}

export function createTwoFactorChallenge(user: { id: string; sessionVersion: number }, now = Date.now()): string {
  const payload = `${user.id}.${user.sessionVersion}.${now + CHALLENGE_LIFETIME_MS}`;
  return `${payload}.${signChallenge(payload)}`;
}

export function readTwoFactorChallenge(challenge: unknown): { userId: string; sessionVersion: number } | undefined {
  if (typeof challenge !== "string" || challenge.length > 300) return undefined;
  const parts = challenge.split(".");
  if (parts.length !== 4) return undefined;
  const [userId, version, expires, signature] = parts as [string, string, string, string];
  if (!safeEqual(signature, signChallenge(`${userId}.${version}.${expires}`))) return undefined;
  if (!(Number(expires) >= Date.now())) return undefined;
  const sessionVersion = Number(version);
  return Number.isInteger(sessionVersion) ? { userId, sessionVersion } : undefined;
}

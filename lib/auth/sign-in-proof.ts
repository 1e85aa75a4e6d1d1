import "server-only";

import { createHmac } from "node:crypto";

import { env } from "@/lib/core/env";
import { safeEqual } from "@/lib/core/secure-token";

/**
 * The credentials provider accepts only this proof, minted on the server after
 * lib/ has authenticated the user (password, reset link, invitation…). The public
 * credentials endpoint therefore never sees a password and cannot be used to skip
 * our rate limits; a proof is short-lived and names the session version and the
 * server-side session (lib/auth/sessions.ts) it opens.
 */
const LIFETIME_MS = 60_000;

function sign(payload: string): string {
  return createHmac("sha256", env().AUTH_SECRET).update(`sign-in-proof:${payload}`).digest("base64url");
}

export function createSignInProof(userId: string, sessionVersion: number, sessionId: string): string {
  const payload = `${userId}.${sessionVersion}.${sessionId}.${Date.now() + LIFETIME_MS}`;
  return `${payload}.${sign(payload)}`;
}

export function readSignInProof(proof: unknown): { userId: string; sessionVersion: number; sessionId: string } | undefined {
  if (typeof proof !== "string" || proof.length > 400) return undefined;
  const parts = proof.split(".");
  if (parts.length !== 5) return undefined;
  const [userId, version, sessionId, expires, signature] = parts as [string, string, string, string, string];
  if (!safeEqual(signature, sign(`${userId}.${version}.${sessionId}.${expires}`))) return undefined;
  if (Number(expires) < Date.now()) return undefined;
  const sessionVersion = Number(version);
  return Number.isInteger(sessionVersion) ? { userId, sessionVersion, sessionId } : undefined;
}

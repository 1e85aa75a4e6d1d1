import "server-only";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";

import { getDb } from "@/db";
import { findSessionUser, type SessionUser } from "@/lib/auth/account-settings";
import { endSession, openSession } from "@/lib/auth/sessions";
import { createSignInProof } from "@/lib/auth/sign-in-proof";
import type { Actor } from "@/lib/core/actor";
import { clientIpFrom } from "@/lib/core/client-ip";
import { authUrl, env } from "@/lib/core/env";

import { auth, signIn, signOut } from "./next-auth";
import { REQUEST_PATH_HEADER } from "./security-headers";
import { decodeSessionCookie, findSessionCookie, sessionCookieName, type SessionClaims } from "./session-cookie";

/**
 * The signed-in user for this request, read from the database every time: a
 * session that was signed out, whose version is behind the user's (password
 * changed, reset, "sign out other sessions") or whose user is gone counts as
 * signed out.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | undefined> => {
  const session = await readSessionCookie();
  if (!session?.userId || typeof session.sessionVersion !== "number" || !session.sessionId) return undefined;
  return findSessionUser(await getDb(), { userId: session.userId, sessionVersion: session.sessionVersion, sessionId: session.sessionId });
});

/** The session cookie's claims (lib/next/session-cookie.ts); a cookie split in chunks is left to next-auth. */
async function readSessionCookie(): Promise<SessionClaims | null | undefined> {
  const list = await headers();
  const name = sessionCookieName({ configuredUrl: authUrl(), forwardedProto: list.get("x-forwarded-proto") });
  const value = findSessionCookie(list.get("cookie") ?? "", name);
  if (value === undefined) return undefined;
  if (value === "chunked") return auth();
  return decodeSessionCookie(value, { secret: env().AUTH_SECRET, name });
}

/**
 * The path of the page being rendered, as proxy.ts passed it (a layout is not
 * told its page's path): where sign-in sends a signed-out visitor back to.
 */
export async function requestPath(): Promise<string | undefined> {
  return (await headers()).get(REQUEST_PATH_HEADER) ?? undefined;
}

/** For pages and actions that need a user: sends everyone else to sign in and back. */
export async function requireUser(returnTo?: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(returnTo ? `/sign-in?returnTo=${encodeURIComponent(returnTo)}` : "/sign-in");
  return user;
}

/**
 * Opens (or re-opens, with a new session version) the session of a user that
 * lib/ authenticated: a new server-side session, whose id the cookie carries.
 * The session of the cookie it replaces, if any, ends.
 */
export async function startSession(user: { id: string; sessionVersion: number }): Promise<void> {
  const db = await getDb();
  const previous = await auth();
  const sessionId = await openSession(db, user.id);
  await signIn("credentials", { proof: createSignInProof(user.id, user.sessionVersion, sessionId), redirect: false });
  if (previous?.userId) await endSession(db, { userId: previous.userId, sessionId: previous.sessionId });
}

/** Signs this browser out: its session ends on the server (a copy of the cookie stops working), then the cookie goes. */
export async function endCurrentSession(redirectTo: string): Promise<void> {
  const session = await auth();
  // Here and not only in next-auth's signOut event, which swallows errors: a failure must not look like a sign-out.
  if (session?.userId) await endSession(await getDb(), { userId: session.userId, sessionId: session.sessionId });
  await signOut({ redirectTo });
}

/** The signed-in user as the actor of a change, with the request's IP and user agent for the activity stream. */
export async function currentActor(user: SessionUser): Promise<Actor> {
  const list = await headers();
  return { userId: user.id, name: user.name, email: user.email, ip: await clientIp(), userAgent: list.get("user-agent") };
}

/** The request's client address (lib/core/client-ip.ts). */
export async function clientIp(): Promise<string> {
  return clientIpFrom(await headers());
}

/** Where sign-in and sign-up send the user back to: a path on the app's own origin (lib/auth/return-path.ts). */
export { safeReturnPath } from "@/lib/auth/return-path";

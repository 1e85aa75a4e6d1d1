import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db";
import type { Actor } from "@/lib/actor";
import { clientIpFrom } from "@/lib/client-ip";
import { findSessionUser, type SessionUser } from "./account-settings";
import { auth, signIn } from "./next-auth";
import { createSignInProof } from "./sign-in-proof";

/**
 * The signed-in user for this request, read from the database every time: a
 * session whose version is behind the user's (password changed, reset, "sign out
 * other sessions") or whose user is gone counts as signed out.
 */
export const getCurrentUser = cache(async (): Promise<SessionUser | undefined> => {
  const session = await auth();
  if (!session?.userId || typeof session.sessionVersion !== "number") return undefined;
  return findSessionUser(await getDb(), { userId: session.userId, sessionVersion: session.sessionVersion });
});

/** For pages and actions that need a user: sends everyone else to sign in and back. */
export async function requireUser(returnTo?: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(returnTo ? `/sign-in?returnTo=${encodeURIComponent(returnTo)}` : "/sign-in");
  return user;
}

/** Opens (or re-opens, with a new session version) the session of a user that lib/ authenticated. */
export async function startSession(user: { id: string; sessionVersion: number }): Promise<void> {
  await signIn("credentials", { proof: createSignInProof(user.id, user.sessionVersion), redirect: false });
}

/** The signed-in user as the actor of a change, with the request's IP and user agent for the activity stream. */
export async function currentActor(user: SessionUser): Promise<Actor> {
  const list = await headers();
  return { userId: user.id, name: user.name, email: user.email, ip: await clientIp(), userAgent: list.get("user-agent") };
}

/** The request's client address (lib/client-ip.ts). */
export async function clientIp(): Promise<string> {
  return clientIpFrom(await headers());
}

/** Where sign-in and sign-up send the user back to: a path on the app's own origin (lib/auth/return-path.ts). */
export { safeReturnPath } from "./return-path";

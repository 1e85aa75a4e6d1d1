import "server-only";

import { and, eq, isNull, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { sessions } from "@/db/schema";
import { uuidOrUndefined } from "@/lib/core/ids";

/** As long as the session cookie lives (lib/next/next-auth.ts): an unused session ends on the server too. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600;
const LAST_SEEN_THROTTLE_SECONDS = 60;

/** A new server-side session for a user that lib/ has authenticated; its id goes into the session cookie. */
export async function openSession(db: Db, userId: string): Promise<string> {
  const [row] = await db.insert(sessions).values({ userId }).returning({ id: sessions.id });
  if (Math.random() < 0.01) {
    // Ended and expired sessions are useless; trim them now and then instead of running a job (as rate limits do).
    await db
      .delete(sessions)
      .where(
        sql`${sessions.endedAt} < now() - interval '1 day' or ${sessions.lastSeenAt} < now() - make_interval(secs => ${SESSION_MAX_AGE_SECONDS})`,
      );
  }
  return row!.id;
}

/** Ends one session (sign-out): a copy of its cookie stops working; the user's other sessions go on. */
export async function endSession(db: Db, session: { userId: string; sessionId: unknown }): Promise<void> {
  const id = uuidOrUndefined(session.sessionId);
  if (!id) return;
  await db
    .update(sessions)
    .set({ endedAt: sql`now()` })
    .where(and(eq(sessions.id, id), eq(sessions.userId, session.userId), isNull(sessions.endedAt)));
}

/**
 * The open session `id` of `userId`: not ended, used within the cookie's lifetime.
 * A condition rather than a query, so that reading the signed-in user joins it
 * (lib/auth/account-settings.ts findSessionUser): one round trip per request.
 */
export function openSessionOf(userId: string, id: string) {
  return and(
    eq(sessions.id, id),
    eq(sessions.userId, userId),
    isNull(sessions.endedAt),
    sql`${sessions.lastSeenAt} > now() - make_interval(secs => ${SESSION_MAX_AGE_SECONDS})`,
  );
}

/** Whether the session's last use is noted as more than a minute ago: then `noteSessionUse`. */
export const sessionUseIsStale = sql<boolean>`${sessions.lastSeenAt} < now() - make_interval(secs => ${LAST_SEEN_THROTTLE_SECONDS})`;

/** Notes the session's use (at most once a minute: callers check `sessionUseIsStale`). */
export async function noteSessionUse(db: Db, id: string): Promise<void> {
  await db
    .update(sessions)
    .set({ lastSeenAt: sql`now()` })
    .where(eq(sessions.id, id));
}

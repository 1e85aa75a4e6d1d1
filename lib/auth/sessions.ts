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

/** Whether the session is open (not ended, used within the cookie's lifetime); notes its use, at most once a minute. */
export async function touchSession(db: Db, session: { userId: string; sessionId: unknown }): Promise<boolean> {
  const id = uuidOrUndefined(session.sessionId);
  if (!id) return false;
  const [row] = await db
    .select({ stale: sql<boolean>`${sessions.lastSeenAt} < now() - make_interval(secs => ${LAST_SEEN_THROTTLE_SECONDS})` })
    .from(sessions)
    .where(
      and(
        eq(sessions.id, id),
        eq(sessions.userId, session.userId),
        isNull(sessions.endedAt),
        sql`${sessions.lastSeenAt} > now() - make_interval(secs => ${SESSION_MAX_AGE_SECONDS})`,
      ),
    );
  if (!row) return false;
  if (row.stale)
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`now()` })
      .where(eq(sessions.id, id));
  return true;
}

import "server-only";

import { eq, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { sessions, users } from "@/db/schema";
import { revokeApiTokensOf } from "@/lib/api-tokens/api-tokens";
import type { Actor as SharedActor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { uuidOrUndefined } from "@/lib/core/ids";
import { parseOrThrow } from "@/lib/core/parse";
import { describeRetryAfter } from "@/lib/core/rate-limit";
import { inTransaction } from "@/lib/core/transaction";
import { changeNameSchema, changePasswordSchema } from "@/lib/shared/validation";

import { COMMON_PASSWORD_MESSAGE, hashPassword, isCommonPassword, verifyPassword } from "./passwords";
import { noteSessionUse, openSessionOf, sessionUseIsStale } from "./sessions";
import { countPasswordGuess } from "./sign-in";

/** Account changes need only who is acting: the shared Actor, narrowed. */
type Actor = Pick<SharedActor, "userId">;

export async function changeName(db: Db, actor: Actor, input: { name: unknown }): Promise<{ name: string }> {
  const { name } = parseOrThrow(changeNameSchema, input);
  const [user] = await db.update(users).set({ name }).where(eq(users.id, actor.userId)).returning({ name: users.name });
  if (!user) throw new AppError("unauthorized", "Sign in again to continue.");
  return user;
}

/**
 * Needs the current password. Returns the new session version: every other
 * session ends, and the caller re-issues its own session with this number.
 */
export async function changePassword(
  db: Db,
  actor: Actor,
  input: { currentPassword: unknown; newPassword: unknown },
): Promise<{ sessionVersion: number }> {
  const parsed = { data: parseOrThrow(changePasswordSchema, input) };
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user) throw new AppError("unauthorized", "Sign in again to continue.");
  // A stolen session must not become unlimited guesses at the password: counted with sign-in attempts.
  const guesses = await countPasswordGuess(db, user.email);
  if (!guesses.allowed) {
    throw new AppError("rate_limited", `Too many password attempts. Try again ${describeRetryAfter(guesses.retryAfterSeconds)}.`);
  }
  if (!(await verifyPassword(user.passwordHash, parsed.data.currentPassword))) {
    throw new AppError("validation", "Check the highlighted fields.", { currentPassword: ["Your current password is not correct."] });
  }
  if (isCommonPassword(parsed.data.newPassword)) {
    throw new AppError("validation", "Check the highlighted fields.", { newPassword: [COMMON_PASSWORD_MESSAGE] });
  }
  const passwordHash = await hashPassword(parsed.data.newPassword);
  const [updated] = await db
    .update(users)
    .set({ passwordHash, sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, actor.userId))
    .returning({ sessionVersion: users.sessionVersion });
  if (!updated) throw new AppError("unauthorized", "Sign in again to continue.");
  return updated;
}

/**
 * Ends every other session of the user and, since whoever held them may also
 * have copied a token, revokes every API token the user owns (one activity
 * entry per token, in its org). Returns the version the current session moves
 * to and how many tokens were revoked.
 */
export async function signOutOtherSessions(
  db: Db,
  actor: Actor & Pick<SharedActor, "ip" | "userAgent">,
): Promise<{ sessionVersion: number; revokedApiTokens: number }> {
  return inTransaction(db, async (tx) => {
    const [user] = await tx.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, actor.userId));
    if (!user) throw new AppError("unauthorized", "Sign in again to continue.");
    const revokedApiTokens = await revokeApiTokensOf(tx, { ...actor, ...user }, "signed_out_everywhere");
    const [updated] = await tx
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
      .where(eq(users.id, actor.userId))
      .returning({ sessionVersion: users.sessionVersion });
    if (!updated) throw new AppError("unauthorized", "Sign in again to continue.");
    return { sessionVersion: updated.sessionVersion, revokedApiTokens };
  });
}

/**
 * The user a session names, if the session is still current: not ended by
 * signing out (its row in `sessions`), and of the user's current session version.
 */
export async function findSessionUser(db: Db, session: { userId: string; sessionVersion: number; sessionId: string }) {
  const sessionId = uuidOrUndefined(session.sessionId);
  if (!sessionId) return undefined;
  // The user and their session in one query: every signed-in request pays for it.
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      emailVerifiedAt: users.emailVerifiedAt,
      sessionVersion: users.sessionVersion,
      lastOrgId: users.lastOrgId,
      stale: sessionUseIsStale,
    })
    .from(users)
    .innerJoin(sessions, openSessionOf(session.userId, sessionId))
    .where(eq(users.id, session.userId));
  if (!row || row.sessionVersion !== session.sessionVersion) return undefined;
  const { stale, ...user } = row;
  if (stale) await noteSessionUse(db, sessionId);
  return { ...user, sessionId: session.sessionId };
}

export type SessionUser = NonNullable<Awaited<ReturnType<typeof findSessionUser>>>;

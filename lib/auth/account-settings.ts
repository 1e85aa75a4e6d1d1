import "server-only";

import { parseOrThrow } from "@/lib/core/parse";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { users } from "@/db/schema";
import type { Actor as SharedActor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { changeNameSchema, changePasswordSchema } from "@/lib/shared/validation";
import { COMMON_PASSWORD_MESSAGE, hashPassword, isCommonPassword, verifyPassword } from "./passwords";

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

/** Ends every other session of the user; returns the version the current session moves to. */
export async function signOutOtherSessions(db: Db, actor: Actor): Promise<{ sessionVersion: number }> {
  const [updated] = await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, actor.userId))
    .returning({ sessionVersion: users.sessionVersion });
  if (!updated) throw new AppError("unauthorized", "Sign in again to continue.");
  return updated;
}

/** The user a session names, if the session is still current (same session version). */
export async function findSessionUser(db: Db, session: { userId: string; sessionVersion: number }) {
  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      emailVerifiedAt: users.emailVerifiedAt,
      sessionVersion: users.sessionVersion,
      lastOrgId: users.lastOrgId,
    })
    .from(users)
    .where(eq(users.id, session.userId));
  return user && user.sessionVersion === session.sessionVersion ? user : undefined;
}

export type SessionUser = NonNullable<Awaited<ReturnType<typeof findSessionUser>>>;

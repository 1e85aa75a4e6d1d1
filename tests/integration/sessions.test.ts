import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";

import { sessions, users } from "@/db/schema";
import { findSessionUser, signOutOtherSessions } from "@/lib/auth/account-settings";
import { endSession, openSession } from "@/lib/auth/sessions";

import { setupTestDatabase } from "../helpers/db";
import { seedUser } from "../helpers/seed";

const t = setupTestDatabase();

/** What a session cookie carries (lib/auth/next-auth.ts): user id, session version, session id. */
const cookieOf = (userId: string, sessionId: string, sessionVersion = 1) => ({ userId, sessionVersion, sessionId });

describe("server-side sessions", () => {
  it("a session ended by sign-out no longer resolves to its user, while another session of the same user still does", async () => {
    const user = await seedUser(t.db);
    const laptop = await openSession(t.db, user.id);
    const phone = await openSession(t.db, user.id);
    expect(await findSessionUser(t.db, cookieOf(user.id, laptop))).toMatchObject({ id: user.id, sessionId: laptop });

    await endSession(t.db, { userId: user.id, sessionId: laptop });

    // A copy of the laptop's cookie, taken before signing out, opens nothing.
    expect(await findSessionUser(t.db, cookieOf(user.id, laptop))).toBeUndefined();
    // The phone is still signed in.
    expect(await findSessionUser(t.db, cookieOf(user.id, phone))).toMatchObject({ id: user.id, sessionId: phone });
    const [ended] = await t.db.select().from(sessions).where(eq(sessions.id, laptop));
    expect(ended!.endedAt).toBeInstanceOf(Date);
  });

  it("one user cannot end another user's session", async () => {
    const alice = await seedUser(t.db);
    const mallory = await seedUser(t.db);
    const session = await openSession(t.db, alice.id);
    await endSession(t.db, { userId: mallory.id, sessionId: session });
    expect(await findSessionUser(t.db, cookieOf(alice.id, session))).toMatchObject({ id: alice.id });
  });

  it("refuses a session id that is unknown, malformed or another user's", async () => {
    const alice = await seedUser(t.db);
    const bob = await seedUser(t.db);
    const bobs = await openSession(t.db, bob.id);
    expect(await findSessionUser(t.db, cookieOf(alice.id, randomUUID()))).toBeUndefined();
    expect(await findSessionUser(t.db, cookieOf(alice.id, "not-a-uuid"))).toBeUndefined();
    expect(await findSessionUser(t.db, cookieOf(alice.id, bobs))).toBeUndefined();
    await endSession(t.db, { userId: alice.id, sessionId: "not-a-uuid" }); // no error, nothing ended
    expect(await findSessionUser(t.db, cookieOf(bob.id, bobs))).toMatchObject({ id: bob.id });
  });

  it("the session version still ends every session at once (sign out other sessions)", async () => {
    const user = await seedUser(t.db);
    const a = await openSession(t.db, user.id);
    const b = await openSession(t.db, user.id);
    const { sessionVersion } = await signOutOtherSessions(t.db, { userId: user.id });
    expect(await findSessionUser(t.db, cookieOf(user.id, a))).toBeUndefined();
    expect(await findSessionUser(t.db, cookieOf(user.id, b))).toBeUndefined();
    // The session re-issued at the new version works.
    expect(await findSessionUser(t.db, cookieOf(user.id, await openSession(t.db, user.id), sessionVersion))).toMatchObject({ id: user.id });
  });

  it("notes when a session was last used (at most once a minute); one unused for 30 days is over", async () => {
    const user = await seedUser(t.db);
    const session = await openSession(t.db, user.id);
    await t.db
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '10 minutes'` })
      .where(eq(sessions.id, session));
    await findSessionUser(t.db, cookieOf(user.id, session));
    const [seen] = await t.db
      .select({ recent: sql<boolean>`${sessions.lastSeenAt} > now() - interval '1 minute'` })
      .from(sessions)
      .where(eq(sessions.id, session));
    expect(seen!.recent).toBe(true);

    await t.db
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '31 days'` })
      .where(eq(sessions.id, session));
    expect(await findSessionUser(t.db, cookieOf(user.id, session))).toBeUndefined();
  });

  it("now and then, opening a session trims ended and expired ones, never an open one", async () => {
    const user = await seedUser(t.db);
    const [ended, expired, open] = [await openSession(t.db, user.id), await openSession(t.db, user.id), await openSession(t.db, user.id)];
    await t.db
      .update(sessions)
      .set({ endedAt: sql`now() - interval '2 days'` })
      .where(eq(sessions.id, ended));
    await t.db
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '31 days'` })
      .where(eq(sessions.id, expired));
    const random = vi.spyOn(Math, "random").mockReturnValue(0);
    try {
      await openSession(t.db, user.id);
    } finally {
      random.mockRestore();
    }
    const left = await t.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id));
    expect(left.map((row) => row.id)).toContain(open);
    expect(left.map((row) => row.id)).not.toContain(ended);
    expect(left.map((row) => row.id)).not.toContain(expired);
  });

  it("sessions go with their user", async () => {
    const user = await seedUser(t.db);
    const session = await openSession(t.db, user.id);
    await t.db.delete(users).where(eq(users.id, user.id));
    expect(await t.db.$count(sessions, eq(sessions.id, session))).toBe(0);
  });
});

import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { authTokens, emails, users } from "@/db/schema";
import { findSessionUser } from "@/lib/auth/account-settings";
import { inspectResetLink, requestPasswordReset, resetPassword } from "@/lib/auth/password-reset";
import { openSession } from "@/lib/auth/sessions";
import { authenticate } from "@/lib/auth/sign-in";
import { env } from "@/lib/core/env";

import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { runJobs } from "../helpers/jobs";
import { emailsTo, latestEmailTo, linkToken } from "../helpers/mail";
import { awayFromWindowEdge } from "../helpers/rate-limit";
import { findUserByEmail, seedUser, strongPassword, uniqueEmail, uniqueIp } from "../helpers/seed";

const t = setupTestDatabase();

/** Asks for a reset and returns the token from the e-mail it produced. */
async function requestResetToken(email: string): Promise<string> {
  await requestPasswordReset(t.db, { email });
  return linkToken(await latestEmailTo(t.db, email, "reset-password"), "/reset-password/");
}

const signIn = (email: string, password: string) => authenticate(t.db, { email, password }, { ip: uniqueIp() });

describe("requestPasswordReset", () => {
  it("e-mails an existing account a one-hour link built from APP_URL", async () => {
    const user = await seedUser(t.db);
    await requestPasswordReset(t.db, { email: user.email.toUpperCase() });

    await runJobs(t.db);
    const mail = await latestEmailTo(t.db, user.email, "reset-password");
    expect(mail.status).toBe("sent");
    expect(mail.text).toContain("http://localhost:3000/reset-password/");
    const token = linkToken(mail, "/reset-password/");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await inspectResetLink(t.db, token)).toBe("valid");

    // Stored hashed, expiring in about an hour.
    const [row] = await t.db
      .select({ tokenHash: authTokens.tokenHash, seconds: sql<number>`extract(epoch from ${authTokens.expiresAt} - now())::int` })
      .from(authTokens)
      .where(and(eq(authTokens.userId, user.id), eq(authTokens.purpose, "reset_password")));
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.tokenHash).not.toContain(token);
    expect(row!.seconds).toBeGreaterThan(3500);
    expect(row!.seconds).toBeLessThanOrEqual(3600);
  });

  it("sends nothing for an unknown email, and does not throw", async () => {
    const email = uniqueEmail("nobody");
    const before = await t.db.$count(emails);
    await expect(requestPasswordReset(t.db, { email })).resolves.toBeUndefined();
    expect(await emailsTo(t.db, email)).toEqual([]);
    expect(await t.db.$count(emails)).toBe(before);
  });

  it("rejects a malformed email with a field error", async () => {
    const error = await expectAppError(requestPasswordReset(t.db, { email: "nope\r\nBcc: x@example.test" }), "validation");
    expect(error.fieldErrors.email?.length).toBeGreaterThan(0);
  });

  it("stops e-mailing one account after EMAIL_LINK_LIMIT_PER_ACCOUNT requests, silently", async () => {
    const user = await seedUser(t.db);
    const limit = env().EMAIL_LINK_LIMIT_PER_ACCOUNT;
    await awayFromWindowEdge(3600);
    for (let i = 0; i < limit + 2; i++) await requestPasswordReset(t.db, { email: user.email });
    expect(await emailsTo(t.db, user.email, "reset-password")).toHaveLength(limit);
  });
});

describe("resetPassword", () => {
  it("sets the new password, ends sessions, and works only once", async () => {
    const user = await seedUser(t.db);
    const before = await findUserByEmail(t.db, user.email);
    const token = await requestResetToken(user.email);
    const newPassword = strongPassword();

    await expect(resetPassword(t.db, { token, password: newPassword })).resolves.toEqual({ email: user.email, revokedApiTokens: 0 });

    await expectAppError(signIn(user.email, user.password), "unauthorized");
    await expect(signIn(user.email, newPassword)).resolves.toMatchObject({ id: user.id });

    const after = await findUserByEmail(t.db, user.email);
    expect(after!.sessionVersion).toBe(before!.sessionVersion + 1);
    expect(after!.emailVerifiedAt).toBeInstanceOf(Date); // the link came by e-mail
    expect(
      await findSessionUser(t.db, { userId: user.id, sessionVersion: before!.sessionVersion, sessionId: await openSession(t.db, user.id) }),
    ).toBeUndefined();
    expect(
      await findSessionUser(t.db, { userId: user.id, sessionVersion: after!.sessionVersion, sessionId: await openSession(t.db, user.id) }),
    ).toMatchObject({ id: user.id });

    // The same link again: refused, and the password stays the new one.
    expect(await inspectResetLink(t.db, token)).toBe("used");
    await expectAppError(resetPassword(t.db, { token, password: strongPassword() }), "not_found");
    await expect(signIn(user.email, newPassword)).resolves.toMatchObject({ id: user.id });
  });

  it("refuses an expired link and changes nothing", async () => {
    const user = await seedUser(t.db);
    const token = await requestResetToken(user.email);
    await t.db
      .update(authTokens)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(and(eq(authTokens.userId, user.id), eq(authTokens.purpose, "reset_password")));

    expect(await inspectResetLink(t.db, token)).toBe("expired");
    await expectAppError(resetPassword(t.db, { token, password: strongPassword() }), "not_found");
    await expect(signIn(user.email, user.password)).resolves.toMatchObject({ id: user.id });
    expect((await findUserByEmail(t.db, user.email))!.sessionVersion).toBe(1);
  });

  it("refuses a token with one character changed, then accepts the real one", async () => {
    const user = await seedUser(t.db);
    const token = await requestResetToken(user.email);
    const i = 10;
    const altered = `${token.slice(0, i)}${token[i] === "a" ? "b" : "a"}${token.slice(i + 1)}`;
    expect(altered).toHaveLength(token.length);
    expect(altered).not.toBe(token);

    expect(await inspectResetLink(t.db, altered)).toBe("unknown");
    await expectAppError(resetPassword(t.db, { token: altered, password: strongPassword() }), "not_found");
    await expect(signIn(user.email, user.password)).resolves.toMatchObject({ id: user.id });

    // Positive control.
    const newPassword = strongPassword();
    await resetPassword(t.db, { token, password: newPassword });
    await expect(signIn(user.email, newPassword)).resolves.toMatchObject({ id: user.id });
  });

  it("refuses a verification link used as a reset link", async () => {
    const user = await seedUser(t.db);
    const verifyToken = linkToken(await latestEmailTo(t.db, user.email, "verify-email"), "/verify-email/");
    await expectAppError(resetPassword(t.db, { token: verifyToken, password: strongPassword() }), "not_found");
    await expect(signIn(user.email, user.password)).resolves.toMatchObject({ id: user.id });
  });

  it("ends the other reset links of the account", async () => {
    const user = await seedUser(t.db);
    const first = await requestResetToken(user.email);
    const second = await requestResetToken(user.email);
    expect(second).not.toBe(first);

    await resetPassword(t.db, { token: second, password: strongPassword() });
    await expectAppError(resetPassword(t.db, { token: first, password: strongPassword() }), "not_found");
  });

  it("validates the new password before using the link", async () => {
    const user = await seedUser(t.db);
    const token = await requestResetToken(user.email);

    const short = await expectAppError(resetPassword(t.db, { token, password: "short" }), "validation");
    expect(short.fieldErrors.password?.length).toBeGreaterThan(0);
    const common = await expectAppError(resetPassword(t.db, { token, password: "password1" }), "validation");
    expect(common.fieldErrors.password?.[0]).toMatch(/too common/);

    // The failed attempts did not use the link up.
    expect(await inspectResetLink(t.db, token)).toBe("valid");
    await expect(resetPassword(t.db, { token, password: strongPassword() })).resolves.toEqual({ email: user.email, revokedApiTokens: 0 });
  });

  it("lets only one of two parallel uses of a link succeed", async () => {
    const user = await seedUser(t.db);
    const token = await requestResetToken(user.email);
    const passwords = [strongPassword(), strongPassword()];
    const results = await Promise.allSettled(passwords.map((password) => resetPassword(t.db, { token, password })));

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const winner = passwords[results.findIndex((r) => r.status === "fulfilled")]!;
    await expect(signIn(user.email, winner)).resolves.toMatchObject({ id: user.id });
    const [row] = await t.db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, user.id));
    expect(row!.v).toBe(2);
  });
});

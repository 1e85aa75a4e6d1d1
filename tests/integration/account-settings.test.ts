import { describe, expect, it } from "vitest";

import { changeName, changePassword, findSessionUser, signOutOtherSessions } from "@/lib/auth/account-settings";
import { resendVerificationEmail, verifyEmail } from "@/lib/auth/email-verification";
import { openSession } from "@/lib/auth/sessions";
import { authenticate } from "@/lib/auth/sign-in";
import { env } from "@/lib/core/env";

import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { emailsTo, latestEmailTo, linkToken } from "../helpers/mail";
import { awayFromWindowEdge } from "../helpers/rate-limit";
import { findUserByEmail, seedUser, strongPassword, uniqueIp } from "../helpers/seed";

const t = setupTestDatabase();
const NO_SUCH_USER = "00000000-0000-4000-8000-000000000000";
const SIGN_IN_WINDOW_SECONDS = 15 * 60; // lib/auth/sign-in.ts

const signIn = (email: string, password: string) => authenticate(t.db, { email, password }, { ip: uniqueIp() });

describe("changePassword", () => {
  it("refuses a wrong current password with a field error and changes nothing", async () => {
    const user = await seedUser(t.db);
    const error = await expectAppError(
      changePassword(t.db, { userId: user.id }, { currentPassword: `${user.password}x`, newPassword: strongPassword() }),
      "validation",
    );
    expect(error.fieldErrors.currentPassword).toEqual(["Your current password is not correct."]);
    expect(error.fieldErrors.newPassword).toBeUndefined();
    await expect(signIn(user.email, user.password)).resolves.toMatchObject({ id: user.id });
    expect((await findUserByEmail(t.db, user.email))!.sessionVersion).toBe(1);
  });

  it("with the right current password, changes it and bumps the session version", async () => {
    const user = await seedUser(t.db);
    const newPassword = strongPassword();
    const result = await changePassword(t.db, { userId: user.id }, { currentPassword: user.password, newPassword });

    expect(result).toEqual({ sessionVersion: 2 });
    await expectAppError(signIn(user.email, user.password), "unauthorized");
    await expect(signIn(user.email, newPassword)).resolves.toMatchObject({ id: user.id });
    expect(
      await findSessionUser(t.db, { userId: user.id, sessionVersion: 1, sessionId: await openSession(t.db, user.id) }),
    ).toBeUndefined();
    expect(await findSessionUser(t.db, { userId: user.id, sessionVersion: 2, sessionId: await openSession(t.db, user.id) })).toMatchObject({
      id: user.id,
      email: user.email,
    });
  });

  it("validates the new password (length, common) and the missing current one", async () => {
    const user = await seedUser(t.db);
    const actor = { userId: user.id };
    const short = await expectAppError(
      changePassword(t.db, actor, { currentPassword: user.password, newPassword: "1234567" }),
      "validation",
    );
    expect(short.fieldErrors.newPassword?.length).toBeGreaterThan(0);
    const common = await expectAppError(
      changePassword(t.db, actor, { currentPassword: user.password, newPassword: "password1" }),
      "validation",
    );
    expect(common.fieldErrors.newPassword?.[0]).toMatch(/too common/);
    const missing = await expectAppError(changePassword(t.db, actor, { currentPassword: "", newPassword: strongPassword() }), "validation");
    expect(missing.fieldErrors.currentPassword?.length).toBeGreaterThan(0);

    await expect(signIn(user.email, user.password)).resolves.toMatchObject({ id: user.id });
    expect((await findUserByEmail(t.db, user.email))!.sessionVersion).toBe(1);
  });

  it("refuses an actor that does not exist", async () => {
    await expectAppError(
      changePassword(t.db, { userId: NO_SUCH_USER }, { currentPassword: "whatever 123", newPassword: strongPassword() }),
      "unauthorized",
    );
  });

  it("limits guesses of the current password like sign-in: after the limit even the right one is refused", async () => {
    await awayFromWindowEdge(SIGN_IN_WINDOW_SECONDS);
    const limit = env().SIGN_IN_LIMIT_PER_ACCOUNT;
    expect(limit).toBe(5); // vitest.config.ts
    const user = await seedUser(t.db);
    const other = await seedUser(t.db);
    const guess = (currentPassword: string) =>
      changePassword(t.db, { userId: user.id }, { currentPassword, newPassword: strongPassword() });

    for (let attempt = 1; attempt <= limit; attempt++) await expectAppError(guess(`wrong guess ${attempt}`), "validation");
    const limited = await expectAppError(guess(user.password), "rate_limited");
    expect(limited.message).toMatch(/Too many/);
    expect((await findUserByEmail(t.db, user.email))!.sessionVersion).toBe(1);

    // The guesses count against the account's sign-in budget too: one secret, one budget.
    await expectAppError(signIn(user.email, user.password), "rate_limited");

    // Positive control: another account changes its password normally.
    await expect(
      changePassword(t.db, { userId: other.id }, { currentPassword: other.password, newPassword: strongPassword() }),
    ).resolves.toEqual({ sessionVersion: 2 });
  });
});

describe("signOutOtherSessions", () => {
  it("bumps the session version each time, ending sessions with older versions", async () => {
    const user = await seedUser(t.db);
    expect(await findSessionUser(t.db, { userId: user.id, sessionVersion: 1, sessionId: await openSession(t.db, user.id) })).toMatchObject({
      id: user.id,
    });

    await expect(signOutOtherSessions(t.db, { userId: user.id })).resolves.toEqual({ sessionVersion: 2, revokedApiTokens: 0 });
    expect(
      await findSessionUser(t.db, { userId: user.id, sessionVersion: 1, sessionId: await openSession(t.db, user.id) }),
    ).toBeUndefined();
    expect(await findSessionUser(t.db, { userId: user.id, sessionVersion: 2, sessionId: await openSession(t.db, user.id) })).toMatchObject({
      id: user.id,
    });

    await expect(signOutOtherSessions(t.db, { userId: user.id })).resolves.toEqual({ sessionVersion: 3, revokedApiTokens: 0 });
    expect(
      await findSessionUser(t.db, { userId: user.id, sessionVersion: 2, sessionId: await openSession(t.db, user.id) }),
    ).toBeUndefined();

    // The password is untouched.
    await expect(signIn(user.email, user.password)).resolves.toMatchObject({ id: user.id });
  });

  it("does not touch other users' sessions", async () => {
    const user = await seedUser(t.db);
    const other = await seedUser(t.db);
    await signOutOtherSessions(t.db, { userId: user.id });
    expect(
      await findSessionUser(t.db, { userId: other.id, sessionVersion: 1, sessionId: await openSession(t.db, other.id) }),
    ).toMatchObject({ id: other.id });
  });

  it("refuses an actor that does not exist; findSessionUser finds nobody", async () => {
    await expectAppError(signOutOtherSessions(t.db, { userId: NO_SUCH_USER }), "unauthorized");
    expect(await findSessionUser(t.db, { userId: NO_SUCH_USER, sessionVersion: 1, sessionId: NO_SUCH_USER })).toBeUndefined();
  });
});

describe("changeName", () => {
  it("trims and saves a valid name", async () => {
    const user = await seedUser(t.db);
    await expect(changeName(t.db, { userId: user.id }, { name: "  Grace Hopper " })).resolves.toEqual({ name: "Grace Hopper" });
    expect((await findUserByEmail(t.db, user.email))!.name).toBe("Grace Hopper");
  });

  it.each([
    ["empty", ""],
    ["blank", "   "],
    ["too long", "n".repeat(101)],
    ["with a control character", "Bad\u0007Name"],
    ["with a line break", "Bad\nName"],
    ["not a string", 42],
  ])("rejects a name that is %s", async (_label, name) => {
    const user = await seedUser(t.db, { name: "Original Name" });
    const error = await expectAppError(changeName(t.db, { userId: user.id }, { name }), "validation");
    expect(error.fieldErrors.name?.length).toBeGreaterThan(0);
    expect((await findUserByEmail(t.db, user.email))!.name).toBe("Original Name");
  });

  it("keeps HTML in a name as text (escaping is the renderer's job)", async () => {
    const user = await seedUser(t.db);
    await changeName(t.db, { userId: user.id }, { name: "<b>Bold</b>" });
    expect((await findUserByEmail(t.db, user.email))!.name).toBe("<b>Bold</b>");
  });

  it("refuses an actor that does not exist", async () => {
    await expectAppError(changeName(t.db, { userId: NO_SUCH_USER }, { name: "Nobody" }), "unauthorized");
  });
});

describe("resendVerificationEmail", () => {
  it("sends a new working link until the address is verified, then reports it verified", async () => {
    const user = await seedUser(t.db, { verified: false });
    await expect(resendVerificationEmail(t.db, { userId: user.id })).resolves.toEqual({ alreadyVerified: false });
    const mails = await emailsTo(t.db, user.email, "verify-email");
    expect(mails).toHaveLength(2);

    const token = linkToken(await latestEmailTo(t.db, user.email, "verify-email"), "/verify-email/");
    expect(await verifyEmail(t.db, token)).toBe("verified");
    await expect(resendVerificationEmail(t.db, { userId: user.id })).resolves.toEqual({ alreadyVerified: true });
    expect(await emailsTo(t.db, user.email, "verify-email")).toHaveLength(2);
  });

  it("is rate limited per account", async () => {
    const user = await seedUser(t.db, { verified: false });
    const limit = env().EMAIL_LINK_LIMIT_PER_ACCOUNT;
    await awayFromWindowEdge(3600);
    for (let i = 0; i < limit; i++) await resendVerificationEmail(t.db, { userId: user.id });
    await expectAppError(resendVerificationEmail(t.db, { userId: user.id }), "rate_limited");
    expect(await emailsTo(t.db, user.email, "verify-email")).toHaveLength(limit + 1);
  });
});

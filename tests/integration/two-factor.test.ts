import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { twoFactorRecoveryCodes, users } from "@/db/schema";
import { authenticate } from "@/lib/auth/sign-in";
import {
  beginTwoFactorSetup,
  completeTwoFactorSignIn,
  confirmTwoFactorSetup,
  disableTwoFactor,
  getTwoFactorStatus,
  twoFactorChallengeFor,
  WRONG_CODE,
} from "@/lib/auth/two-factor";
import { createTwoFactorChallenge } from "@/lib/auth/two-factor-codes";

import { activitiesAfter, activityMark } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { runJobs } from "../helpers/jobs";
import { emailsTo } from "../helpers/mail";
import { awayFromWindowEdge } from "../helpers/rate-limit";
import { seedOrg, seedUser, uniqueIp } from "../helpers/seed";
import { enableTwoFactor, totpCode } from "../helpers/two-factor";

const t = setupTestDatabase();
const WINDOW_SECONDS = 15 * 60; // lib/auth/two-factor.ts

/** Sign-in's first step, as the sign-in action runs it: the password, then the challenge for the code step. */
async function passwordStep(user: { email: string; password: string }): Promise<string> {
  const signedIn = await authenticate(t.db, { email: user.email, password: user.password }, { ip: uniqueIp() });
  const challenge = twoFactorChallengeFor(signedIn);
  if (!challenge) throw new Error("expected a two-factor challenge");
  return challenge;
}

const userRow = async (id: string) => (await t.db.select().from(users).where(eq(users.id, id)))[0]!;

describe("setting up two-factor", () => {
  it("stores the secret sealed, turns on only with a right code, and keeps ten hashed recovery codes", async () => {
    const user = await seedUser(t.db);
    await seedOrg(t.db, user);
    const mark = await activityMark(t.db);
    const { secret, uri, qrSvg } = await beginTwoFactorSetup(t.db, { userId: user.id });
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toContain(`secret=${secret}`);
    expect(qrSvg).toContain("<svg");
    const pending = await userRow(user.id);
    expect(pending.twoFactorSecret).not.toContain(secret);
    expect(pending.twoFactorSecret).toMatch(/^v1\./);
    expect(pending.twoFactorEnabledAt).toBeNull();

    // A wrong code turns nothing on.
    const wrong = await expectAppError(confirmTwoFactorSetup(t.db, { userId: user.id }, { code: "000000" }), "validation");
    expect(wrong.fieldErrors.code).toEqual([WRONG_CODE]);
    expect((await getTwoFactorStatus(t.db, user.id)).enabled).toBe(false);
    // Not a password sign-in step yet: no challenge without two-factor on.
    expect(twoFactorChallengeFor(await userRow(user.id))).toBeUndefined();

    const { recoveryCodes } = await confirmTwoFactorSetup(t.db, { userId: user.id }, { code: totpCode(secret) });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(await getTwoFactorStatus(t.db, user.id)).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    const stored = await t.db.select().from(twoFactorRecoveryCodes).where(eq(twoFactorRecoveryCodes.userId, user.id));
    expect(stored.map((row) => row.codeHash)).not.toEqual(expect.arrayContaining([recoveryCodes[0]]));
    expect(stored.every((row) => /^[0-9a-f]{64}$/.test(row.codeHash))).toBe(true);

    // E-mailed, and no org activity: it is the user's own change.
    expect((await emailsTo(t.db, user.email, "two-factor-enabled")).map((email) => email.subject)).toEqual([
      "Two-factor authentication was turned on",
    ]);
    expect(await activitiesAfter(t.db, mark)).toEqual([]);
    await runJobs(t.db);
    expect((await emailsTo(t.db, user.email, "two-factor-enabled"))[0]!.status).toBe("sent");

    await expectAppError(beginTwoFactorSetup(t.db, { userId: user.id }), "conflict");
  });
});

describe("signing in with two-factor", () => {
  it("asks for a code after the password; a wrong code is refused, the right one signs in once", async () => {
    const user = await seedUser(t.db);
    const { secret } = await enableTwoFactor(t.db, user.id);
    const challenge = await passwordStep(user);

    const wrong = await expectAppError(completeTwoFactorSignIn(t.db, { challenge, code: "123456" }, { ip: uniqueIp() }), "validation");
    expect(wrong.message).toBe(WRONG_CODE);

    const code = totpCode(secret, 1);
    await expect(completeTwoFactorSignIn(t.db, { challenge, code }, { ip: uniqueIp() })).resolves.toMatchObject({
      id: user.id,
      usedRecoveryCode: false,
    });
    // The same code again (a replay, or someone watching over the shoulder) is refused.
    await expectAppError(completeTwoFactorSignIn(t.db, { challenge, code }, { ip: uniqueIp() }), "validation");
  });

  it("accepts a recovery code once", async () => {
    const user = await seedUser(t.db);
    const { recoveryCodes } = await enableTwoFactor(t.db, user.id);
    const challenge = await passwordStep(user);
    const code = recoveryCodes[3]!;

    await expect(completeTwoFactorSignIn(t.db, { challenge, code: ` ${code.toUpperCase()} ` }, { ip: uniqueIp() })).resolves.toMatchObject({
      id: user.id,
      usedRecoveryCode: true,
    });
    await expectAppError(completeTwoFactorSignIn(t.db, { challenge, code }, { ip: uniqueIp() }), "validation");
    expect((await getTwoFactorStatus(t.db, user.id)).recoveryCodesLeft).toBe(9);
    // Positive control: another recovery code still works.
    await expect(completeTwoFactorSignIn(t.db, { challenge, code: recoveryCodes[4]! }, { ip: uniqueIp() })).resolves.toMatchObject({
      usedRecoveryCode: true,
    });
  });

  it("needs a challenge signed for this user and session version, not expired", async () => {
    const user = await seedUser(t.db);
    const { secret } = await enableTwoFactor(t.db, user.id);
    const row = await userRow(user.id);
    const forged = createTwoFactorChallenge(row).replace(/\.[^.]+$/, ".AAAA");
    await expectAppError(completeTwoFactorSignIn(t.db, { challenge: forged, code: totpCode(secret) }, { ip: uniqueIp() }), "unauthorized");
    const expired = createTwoFactorChallenge(row, Date.now() - 6 * 60_000);
    await expectAppError(completeTwoFactorSignIn(t.db, { challenge: expired, code: totpCode(secret) }, { ip: uniqueIp() }), "unauthorized");
    const oldVersion = createTwoFactorChallenge({ id: user.id, sessionVersion: row.sessionVersion - 1 });
    await expectAppError(
      completeTwoFactorSignIn(t.db, { challenge: oldVersion, code: totpCode(secret) }, { ip: uniqueIp() }),
      "unauthorized",
    );
    await expect(
      completeTwoFactorSignIn(t.db, { challenge: createTwoFactorChallenge(row), code: totpCode(secret, 1) }, { ip: uniqueIp() }),
    ).resolves.toMatchObject({ id: user.id });
  });

  it("limits code attempts per account, like sign-in (SIGN_IN_LIMIT_PER_ACCOUNT = 5 in tests)", async () => {
    await awayFromWindowEdge(WINDOW_SECONDS);
    const user = await seedUser(t.db);
    const { secret } = await enableTwoFactor(t.db, user.id); // the set-up's code is one attempt
    const challenge = await passwordStep(user);
    for (let attempt = 0; attempt < 4; attempt++) {
      await expectAppError(completeTwoFactorSignIn(t.db, { challenge, code: "000000" }, { ip: uniqueIp() }), "validation");
    }
    // Over the limit, even the right code is refused, from any address.
    const limited = await expectAppError(
      completeTwoFactorSignIn(t.db, { challenge, code: totpCode(secret, 1) }, { ip: uniqueIp() }),
      "rate_limited",
    );
    expect(limited.message).toMatch(/^Too many code attempts\. Try again in/);
    // Positive control: another user's attempts are their own.
    const other = await seedUser(t.db);
    const otherSecret = (await enableTwoFactor(t.db, other.id)).secret;
    await expect(
      completeTwoFactorSignIn(t.db, { challenge: await passwordStep(other), code: totpCode(otherSecret, 1) }, { ip: uniqueIp() }),
    ).resolves.toMatchObject({ id: other.id });
  });
});

describe("turning two-factor off", () => {
  it("needs the password and a code, then erases the secret and the recovery codes and e-mails", async () => {
    const user = await seedUser(t.db);
    const { secret, recoveryCodes } = await enableTwoFactor(t.db, user.id);

    const wrongPassword = await expectAppError(
      disableTwoFactor(t.db, { userId: user.id }, { password: `${user.password}!`, code: totpCode(secret, 1) }),
      "validation",
    );
    expect(wrongPassword.fieldErrors.password).toBeDefined();
    const wrongCode = await expectAppError(
      disableTwoFactor(t.db, { userId: user.id }, { password: user.password, code: "000000" }),
      "validation",
    );
    expect(wrongCode.fieldErrors.code).toEqual([WRONG_CODE]);
    await expectAppError(disableTwoFactor(t.db, { userId: user.id }, { password: user.password, code: "" }), "validation");
    expect((await getTwoFactorStatus(t.db, user.id)).enabled).toBe(true);

    await disableTwoFactor(t.db, { userId: user.id }, { password: user.password, code: recoveryCodes[0]! });
    expect(await getTwoFactorStatus(t.db, user.id)).toEqual({ enabled: false, enabledAt: null, recoveryCodesLeft: 0 });
    const row = await userRow(user.id);
    expect(row.twoFactorSecret).toBeNull();
    expect((await emailsTo(t.db, user.email, "two-factor-disabled")).map((email) => email.subject)).toEqual([
      "Two-factor authentication was turned off",
    ]);
    // Signing in asks only for the password again.
    const signedIn = await authenticate(t.db, { email: user.email, password: user.password }, { ip: uniqueIp() });
    expect(twoFactorChallengeFor(signedIn)).toBeUndefined();
  });
});

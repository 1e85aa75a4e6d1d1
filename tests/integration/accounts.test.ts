import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { authTokens, users } from "@/db/schema";
import { verifyEmail } from "@/lib/auth/email-verification";
import { authenticate } from "@/lib/auth/sign-in";
import { signUp } from "@/lib/auth/sign-up";

import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { runJobs } from "../helpers/jobs";
import { emailsTo, latestEmailTo, linkToken } from "../helpers/mail";
import { findUserByEmail, seedUser, strongPassword, uniqueEmail, uniqueIp } from "../helpers/seed";

const t = setupTestDatabase();

describe("sign-up and e-mail verification", () => {
  it("creates the user with a lower-cased email and an argon2id hash (m=19456,t=2,p=1)", async () => {
    const email = uniqueEmail("Mixed.Case").replace("example.test", "Example.TEST");
    const password = strongPassword();

    const result = await signUp(t.db, { name: "  Ada Lovelace  ", email: `  ${email} `, password }, { ip: uniqueIp() });

    const user = await findUserByEmail(t.db, email);
    // The new account comes back to be signed in at once (the action opens its session).
    expect(result).toEqual({ email: email.toLowerCase(), created: { id: user!.id, sessionVersion: 1 } });
    expect(user).toBeDefined();
    expect(user!.email).toBe(email.toLowerCase());
    expect(user!.name).toBe("Ada Lovelace");
    expect(user!.emailVerifiedAt).toBeNull();
    expect(user!.sessionVersion).toBe(1);
    expect(user!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(user!.passwordHash).not.toContain(password);
  });

  it("e-mails a single-use verification link built from APP_URL", async () => {
    const { email } = await seedUser(t.db, { verified: false });
    await runJobs(t.db);
    const mail = await latestEmailTo(t.db, email, "verify-email");
    expect(mail.transport).toBe("outbox");
    expect(mail.status).toBe("sent");
    expect(mail.attempts).toBe(1);
    expect(mail.text).toContain("http://localhost:3000/verify-email/");
    const token = linkToken(mail, "/verify-email/");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url

    expect(await verifyEmail(t.db, token)).toBe("verified");
    const verified = await findUserByEmail(t.db, email);
    expect(verified!.emailVerifiedAt).toBeInstanceOf(Date);

    // The same link again: already used, and the verification time does not move.
    expect(await verifyEmail(t.db, token)).toBe("used");
    const again = await findUserByEmail(t.db, email);
    expect(again!.emailVerifiedAt!.getTime()).toBe(verified!.emailVerifiedAt!.getTime());
  });

  it("answers unknown for a garbage, empty, oversized or altered token and verifies nobody", async () => {
    const { email } = await seedUser(t.db, { verified: false });
    const token = linkToken(await latestEmailTo(t.db, email, "verify-email"), "/verify-email/");
    const altered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;

    for (const bad of ["garbage", "", "x".repeat(201), altered]) {
      expect(await verifyEmail(t.db, bad), JSON.stringify(bad.slice(0, 20))).toBe("unknown");
    }
    expect((await findUserByEmail(t.db, email))!.emailVerifiedAt).toBeNull();

    // Positive control: the real token still works.
    expect(await verifyEmail(t.db, token)).toBe("verified");
  });

  it("answers expired for an expired verification link", async () => {
    const { email, id } = await seedUser(t.db, { verified: false });
    const token = linkToken(await latestEmailTo(t.db, email, "verify-email"), "/verify-email/");
    await t.db
      .update(authTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(authTokens.userId, id));

    expect(await verifyEmail(t.db, token)).toBe("expired");
    expect((await findUserByEmail(t.db, email))!.emailVerifiedAt).toBeNull();
  });
});

describe("sign-up rejects bad input", () => {
  const ip = uniqueIp();
  const attempt = (fields: { name?: unknown; email?: unknown; password?: unknown }) =>
    signUp(t.db, { name: "Test User", email: uniqueEmail(), password: strongPassword(), ...fields }, { ip });

  it.each([
    ["a malformed email", "not-an-email"],
    ["an email without a domain", "someone@"],
    ["an email of 255 characters", emailOfLength(255)],
    ["an email with CRLF", "victim@example.test\r\nBcc: attacker@example.test"],
    ["an email with a lone LF", "victim@example.test\nx"],
    ["an empty email", ""],
    ["a missing email", undefined],
  ])("rejects %s", async (_label, email) => {
    const before = await t.db.$count(users);
    const error = await expectAppError(attempt({ email }), "validation");
    expect(error.fieldErrors.email?.length, JSON.stringify(error.fieldErrors)).toBeGreaterThan(0);
    if (typeof email === "string" && email.length > 254) expect(error.fieldErrors.email?.[0]).toMatch(/254/);
    expect(await t.db.$count(users)).toBe(before);
  });

  it("accepts an email of exactly 254 characters (positive control)", async () => {
    const email = emailOfLength(254);
    await expect(attempt({ email })).resolves.toMatchObject({ email });
    expect(await findUserByEmail(t.db, email)).toBeDefined();
  });

  it("rejects a 7-character password and accepts 8 characters (positive control)", async () => {
    const error = await expectAppError(attempt({ password: "k7#qZ2m" }), "validation");
    expect(error.fieldErrors.password?.[0]).toMatch(/at least 8/);

    const email = uniqueEmail();
    await expect(attempt({ email, password: "k7#qZ2mX" })).resolves.toMatchObject({ email });
  });

  it("rejects common passwords, whatever their case", async () => {
    for (const password of ["password1", "Password1", "PASSWORD1"]) {
      const email = uniqueEmail();
      const error = await expectAppError(attempt({ email, password }), "validation");
      expect(error.fieldErrors.password?.[0]).toMatch(/too common/);
      expect(await findUserByEmail(t.db, email)).toBeUndefined();
    }
  });

  it("rejects an empty name and a name with control characters", async () => {
    for (const name of ["", "   ", "Eve\u0000", "x".repeat(101)]) {
      const error = await expectAppError(attempt({ name }), "validation");
      expect(error.fieldErrors.name?.length).toBeGreaterThan(0);
    }
  });

  it.each([65, 100, 256])("accepts a %i-character password without truncating it", async (length) => {
    const email = uniqueEmail();
    const password = `${strongPassword()} ${"long passphrase ".repeat(20)}`.slice(0, length);
    expect(password).toHaveLength(length);
    await signUp(t.db, { name: "Long", email, password }, { ip });

    const user = await authenticate(t.db, { email, password }, { ip: uniqueIp() });
    expect(user.email).toBe(email);
    // The last character counts: no truncation to 64 (or 72, bcrypt's limit).
    const lastChanged = `${password.slice(0, -1)}${password.endsWith("x") ? "y" : "x"}`;
    await expectAppError(authenticate(t.db, { email, password: lastChanged }, { ip: uniqueIp() }), "unauthorized");
  });

  it("rejects a 257-character password", async () => {
    const error = await expectAppError(attempt({ password: "p".repeat(257) }), "validation");
    expect(error.fieldErrors.password?.length).toBeGreaterThan(0);
  });
});

describe("sign-up with an email that already has an account", () => {
  it("creates no second user, signs nobody in and e-mails the existing owner", async () => {
    const owner = await seedUser(t.db);
    const fresh = uniqueEmail();
    const freshAnswer = await signUp(t.db, { name: "Fresh", email: fresh, password: strongPassword() }, { ip: uniqueIp() });

    const duplicateAnswer = await signUp(
      t.db,
      { name: "Intruder", email: owner.email.toUpperCase(), password: strongPassword() },
      { ip: uniqueIp() },
    );

    // Nothing to sign in with: only a new account is signed in at once. (Signing new
    // accounts in at once tells the caller which addresses are taken; the per-IP
    // sign-up limit bounds how fast that can be asked.)
    expect(freshAnswer.created).toBeDefined();
    expect(duplicateAnswer).toEqual({ email: owner.email });
    expect(await t.db.$count(users, eq(users.email, owner.email))).toBe(1);

    const existing = await findUserByEmail(t.db, owner.email);
    expect(existing!.name).toBe(owner.name); // not overwritten by the second sign-up
    const mails = await emailsTo(t.db, owner.email);
    expect(mails.map((m) => m.template).sort()).toEqual(["account-exists", "verify-email"]);
    const notice = mails.find((m) => m.template === "account-exists")!;
    expect(notice.text).toContain("http://localhost:3000/forgot-password");
    expect(notice.text).toContain("http://localhost:3000/sign-in");

    // The original password still signs in; the intruder's does not.
    await expect(authenticate(t.db, { email: owner.email, password: owner.password }, { ip: uniqueIp() })).resolves.toMatchObject({
      id: owner.id,
    });
  });
});

/** A syntactically valid, unique address of exactly `length` characters (labels of at most 63). */
function emailOfLength(length: number): string {
  const local = `len-${randomBytes(8).toString("hex")}`;
  let domain = "";
  let remaining = length - local.length - 1 - ".test".length;
  while (remaining > 63) {
    const label = Math.min(63, remaining - 2); // leave room for a dot and one more label
    domain += `${"d".repeat(label)}.`;
    remaining -= label + 1;
  }
  domain += "d".repeat(remaining);
  const email = `${local}@${domain}.test`;
  if (email.length !== length) throw new Error(`emailOfLength: built ${email.length} characters`);
  return email;
}

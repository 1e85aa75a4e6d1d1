import { describe, expect, it } from "vitest";

import { openDatabase } from "@/db/client";
import { authenticate, INVALID_CREDENTIALS } from "@/lib/auth/sign-in";
import { env } from "@/lib/core/env";

import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { awayFromWindowEdge } from "../helpers/rate-limit";
import { seedUser, uniqueEmail, uniqueIp } from "../helpers/seed";

const t = setupTestDatabase();
const SIGN_IN_WINDOW_SECONDS = 15 * 60; // lib/auth/sign-in.ts

describe("authenticate", () => {
  it("accepts the right password, also with the email in another case or padded", async () => {
    const user = await seedUser(t.db);
    const signedIn = await authenticate(t.db, { email: user.email, password: user.password }, { ip: uniqueIp() });
    expect(signedIn).toMatchObject({ id: user.id, email: user.email });

    const again = await authenticate(t.db, { email: `  ${user.email.toUpperCase()} `, password: user.password }, { ip: uniqueIp() });
    expect(again.id).toBe(user.id);
  });

  it("refuses a wrong password and an unknown email with the same error", async () => {
    const user = await seedUser(t.db);
    const wrong = await expectAppError(
      authenticate(t.db, { email: user.email, password: `${user.password}!` }, { ip: uniqueIp() }),
      "unauthorized",
    );
    const unknown = await expectAppError(
      authenticate(t.db, { email: uniqueEmail("nobody"), password: user.password }, { ip: uniqueIp() }),
      "unauthorized",
    );
    const malformed = await expectAppError(
      authenticate(t.db, { email: "not-an-email", password: "x" }, { ip: uniqueIp() }),
      "unauthorized",
    );

    expect(wrong.message).toBe(INVALID_CREDENTIALS);
    expect(unknown.message).toBe(wrong.message);
    expect(malformed.message).toBe(wrong.message);
    expect(unknown.fieldErrors).toEqual(wrong.fieldErrors);

    // Positive control: the right password still works after the failures.
    await expect(authenticate(t.db, { email: user.email, password: user.password }, { ip: uniqueIp() })).resolves.toMatchObject({
      id: user.id,
    });
  });

  it("refuses the password's prefix, an empty password and a password that is not a string", async () => {
    const user = await seedUser(t.db);
    for (const password of [user.password.slice(0, -1), "", undefined, 12345678, null]) {
      await expectAppError(authenticate(t.db, { email: user.email, password }, { ip: uniqueIp() }), "unauthorized");
    }
  });
});

describe("sign-in rate limit per account", () => {
  it("refuses the attempt after SIGN_IN_LIMIT_PER_ACCOUNT, even with the right password", async () => {
    await awayFromWindowEdge(SIGN_IN_WINDOW_SECONDS);
    const limit = env().SIGN_IN_LIMIT_PER_ACCOUNT;
    expect(limit).toBe(5); // vitest.config.ts
    const user = await seedUser(t.db);
    const other = await seedUser(t.db);

    for (let attempt = 1; attempt <= limit; attempt++) {
      // Each attempt from another IP: the per-account counter is what stops them.
      await expectAppError(authenticate(t.db, { email: user.email, password: "wrong password 123" }, { ip: uniqueIp() }), "unauthorized");
    }
    const limited = await expectAppError(
      authenticate(t.db, { email: user.email, password: user.password }, { ip: uniqueIp() }),
      "rate_limited",
    );
    expect(limited.message).toMatch(/Too many sign-in attempts/);

    // The email's case does not open a second counter.
    await expectAppError(
      authenticate(t.db, { email: user.email.toUpperCase(), password: user.password }, { ip: uniqueIp() }),
      "rate_limited",
    );

    // Positive control: another account is not affected.
    await expect(authenticate(t.db, { email: other.email, password: other.password }, { ip: uniqueIp() })).resolves.toMatchObject({
      id: other.id,
    });
  });

  it("counts attempts on unknown emails too (no hint that the account does not exist)", async () => {
    await awayFromWindowEdge(SIGN_IN_WINDOW_SECONDS);
    const limit = env().SIGN_IN_LIMIT_PER_ACCOUNT;
    const email = uniqueEmail("ghost");
    for (let attempt = 1; attempt <= limit; attempt++) {
      await expectAppError(authenticate(t.db, { email, password: "wrong password 123" }, { ip: uniqueIp() }), "unauthorized");
    }
    await expectAppError(authenticate(t.db, { email, password: "wrong password 123" }, { ip: uniqueIp() }), "rate_limited");
  });
});

describe("sign-in rate limit per IP", () => {
  it("refuses an IP after SIGN_IN_LIMIT_PER_IP attempts across accounts", async () => {
    await awayFromWindowEdge(SIGN_IN_WINDOW_SECONDS);
    const limit = env().SIGN_IN_LIMIT_PER_IP;
    const ip = uniqueIp();
    const user = await seedUser(t.db);
    // Unknown emails (no hashing of a real account needed) spread over accounts.
    for (let attempt = 1; attempt <= limit; attempt++) {
      await expectAppError(authenticate(t.db, { email: uniqueEmail("spray"), password: "wrong password 123" }, { ip }), "unauthorized");
    }
    await expectAppError(authenticate(t.db, { email: user.email, password: user.password }, { ip }), "rate_limited");
    // Positive control: the same account from another IP.
    await expect(authenticate(t.db, { email: user.email, password: user.password }, { ip: uniqueIp() })).resolves.toMatchObject({
      id: user.id,
    });
  });
});

describe.runIf(process.env.TEST_DB === "postgres")("sign-in rate limit across app instances (postgres)", () => {
  it("holds when attempts alternate between two database clients", async () => {
    await awayFromWindowEdge(SIGN_IN_WINDOW_SECONDS);
    const limit = env().SIGN_IN_LIMIT_PER_ACCOUNT;
    const url = t.url;
    if (!url) throw new Error("the postgres test database has no URL");
    const user = await seedUser(t.db);
    // Two separate connection pools on one database: two app instances.
    const instanceA = await openDatabase({ url, maxConnections: 2 });
    const instanceB = await openDatabase({ url, maxConnections: 2 });
    try {
      const instances = [instanceA.db, instanceB.db];
      for (let attempt = 1; attempt <= limit; attempt++) {
        const db = instances[attempt % 2]!;
        await expectAppError(authenticate(db, { email: user.email, password: "wrong password 123" }, { ip: uniqueIp() }), "unauthorized");
      }
      const next = instances[(limit + 1) % 2]!;
      await expectAppError(authenticate(next, { email: user.email, password: user.password }, { ip: uniqueIp() }), "rate_limited");
      const other = instances[limit % 2]!;
      await expectAppError(authenticate(other, { email: user.email, password: user.password }, { ip: uniqueIp() }), "rate_limited");

      // Positive control: a fresh account signs in through either instance.
      const fresh = await seedUser(instanceB.db);
      await expect(authenticate(instanceA.db, { email: fresh.email, password: fresh.password }, { ip: uniqueIp() })).resolves.toMatchObject(
        {
          id: fresh.id,
        },
      );
    } finally {
      await instanceA.close();
      await instanceB.close();
    }
  });
});

import { describe, expect, it } from "vitest";

import { hashPassword, isCommonPassword, verifyAgainstDummy, verifyPassword } from "@/lib/auth/passwords";
import { pgErrorCode } from "@/lib/core/errors";
import { hashToken, newSecretToken, safeEqual } from "@/lib/core/secure-token";

describe("password hashing", () => {
  it("stores an argon2id PHC string with OWASP parameters and a random salt", async () => {
    const [first, second] = await Promise.all([hashPassword("same password"), hashPassword("same password")]);
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword(first, "same password")).toBe(true);
    expect(await verifyPassword(first, "same passwor")).toBe(false);
  });

  it("treats a malformed stored hash as a mismatch instead of throwing", async () => {
    expect(await verifyPassword("not a phc string", "whatever")).toBe(false);
    expect(await verifyPassword("", "whatever")).toBe(false);
  });

  it("verifyAgainstDummy always answers false", async () => {
    expect(await verifyAgainstDummy("dummy-password-for-timing-only")).toBe(false);
  });

  it("knows common passwords, whatever their case, and not strong ones", () => {
    expect(isCommonPassword("password1")).toBe(true);
    expect(isCommonPassword("PaSsWoRd1")).toBe(true);
    expect(isCommonPassword("qwertyuiop")).toBe(true);
    expect(isCommonPassword("correct horse 5b1e3f")).toBe(false);
  });
});

describe("secret tokens", () => {
  it("are 32 random bytes in base64url, stored as a SHA-256 hex digest", () => {
    const token = newSecretToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(newSecretToken()).not.toBe(token);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(`${token}x`)).not.toBe(hashToken(token));
  });

  it("safeEqual compares by content, including different lengths", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
  });
});

describe("pgErrorCode", () => {
  it("finds a SQLSTATE however deeply the driver error is wrapped", () => {
    expect(pgErrorCode({ code: "23505" })).toBe("23505");
    expect(pgErrorCode(new Error("wrapped", { cause: { code: "40P01" } }))).toBe("40P01");
    expect(pgErrorCode({ code: "ECONNREFUSED" })).toBeUndefined();
    expect(pgErrorCode(undefined)).toBeUndefined();
  });
});

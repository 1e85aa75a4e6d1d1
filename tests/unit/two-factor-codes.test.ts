import { describe, expect, it } from "vitest";

import {
  createTwoFactorChallenge,
  isRecoveryCodeShape,
  matchTotpStep,
  newRecoveryCodes,
  normaliseCode,
  openTotpSecret,
  readTwoFactorChallenge,
  sealTotpSecret,
} from "@/lib/auth/two-factor-codes";

// RFC 6238, appendix B (SHA-1): the ASCII secret "12345678901234567890", base32; codes are the last six digits.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("TOTP codes", () => {
  it("match the RFC 6238 test vectors, with their time step", () => {
    expect(matchTotpStep(RFC_SECRET, "287082", 59_000)).toBe(1);
    expect(matchTotpStep(RFC_SECRET, "081804", 1_111_111_109_000)).toBe(37_037_036);
    expect(matchTotpStep(RFC_SECRET, "050471", 1_111_111_111_000)).toBe(37_037_037);
  });

  it("accept one step either side and nothing further, and only six digits", () => {
    const at = 1_111_111_109_000; // step 37037036, whose code is 081804
    expect(matchTotpStep(RFC_SECRET, "081804", at + 30_000)).toBe(37_037_036);
    expect(matchTotpStep(RFC_SECRET, "081804", at - 30_000)).toBe(37_037_036);
    expect(matchTotpStep(RFC_SECRET, "081804", at + 61_000)).toBeUndefined();
    expect(matchTotpStep(RFC_SECRET, "81804", at)).toBeUndefined();
    expect(matchTotpStep(RFC_SECRET, "0818045", at)).toBeUndefined();
  });
});

describe("the sealed secret", () => {
  it("opens only for the user it was sealed for, and never holds the secret in the clear", () => {
    const sealed = sealTotpSecret(RFC_SECRET, "user-a");
    expect(sealed).not.toContain(RFC_SECRET);
    expect(openTotpSecret(sealed, "user-a")).toBe(RFC_SECRET);
    expect(openTotpSecret(sealed, "user-b")).toBeUndefined();
    // Tamper with the first character of the ciphertext: every one of its 6 bits counts (the last
    // character of a base64 string may carry unused bits, so changing it may change no byte).
    const [version, iv, tag, ciphertext] = sealed.split(".");
    const tampered = [version, iv, tag, (ciphertext![0] === "A" ? "B" : "A") + ciphertext!.slice(1)].join(".");
    expect(openTotpSecret(tampered, "user-a")).toBeUndefined();
  });
});

describe("recovery codes", () => {
  it("are ten distinct xxxxx-xxxxx codes, typed in any case with spaces", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(isRecoveryCodeShape(code)).toBe(true);
    expect(normaliseCode(` ${codes[0]!.toUpperCase()} `)).toBe(codes[0]);
    expect(isRecoveryCodeShape("123456")).toBe(false);
  });
});

describe("the challenge between password and code", () => {
  it("is read back only unaltered and unexpired", () => {
    const challenge = createTwoFactorChallenge({ id: "user-a", sessionVersion: 3 });
    expect(readTwoFactorChallenge(challenge)).toEqual({ userId: "user-a", sessionVersion: 3 });
    expect(readTwoFactorChallenge(challenge.replace("user-a", "user-b"))).toBeUndefined();
    expect(readTwoFactorChallenge(challenge.replace(".3.", ".4."))).toBeUndefined();
    expect(readTwoFactorChallenge(createTwoFactorChallenge({ id: "user-a", sessionVersion: 3 }, Date.now() - 301_000))).toBeUndefined();
    expect(readTwoFactorChallenge(undefined)).toBeUndefined();
  });
});

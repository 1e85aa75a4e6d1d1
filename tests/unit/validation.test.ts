import { describe, expect, it } from "vitest";

import { changeNameSchema, emailSchema, fieldErrorsOf, newPasswordSchema, signInSchema, signUpSchema } from "@/lib/shared/validation";

describe("emailSchema", () => {
  it("trims and lower-cases a valid address", () => {
    expect(emailSchema.parse("  Ada.Lovelace+Tag@Example.COM ")).toBe("ada.lovelace+tag@example.com");
  });

  it.each([
    ["empty", ""],
    ["no at sign", "ada.example.com"],
    ["no domain", "ada@"],
    ["spaces inside", "ada lovelace@example.com"],
    ["CRLF header injection", "ada@example.com\r\nBcc: eve@example.com"],
    ["LF inside", "ada@exa\nmple.com"],
    ["255 characters", `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(58)}.com`],
    ["not a string", 42],
  ])("rejects %s", (label, value) => {
    if (label === "255 characters") expect(value).toHaveLength(255);
    expect(emailSchema.safeParse(value).success).toBe(false);
  });

  it("says which rule failed for a long address and for line breaks", () => {
    const long = emailSchema.safeParse(`${"a".repeat(250)}@x.io`);
    expect(long.error?.issues[0]?.message).toMatch(/254/);
    const crlf = emailSchema.safeParse("ada@example.com\r\nx@y.z");
    expect(crlf.error?.issues.map((i) => i.message).join()).toMatch(/line breaks/);
  });
});

describe("newPasswordSchema", () => {
  it("needs 8 characters and accepts long passphrases without changing them", () => {
    expect(newPasswordSchema.safeParse("1234567").success).toBe(false);
    expect(newPasswordSchema.parse("12345678")).toBe("12345678");
    const long = "a long passphrase with spaces ".repeat(10).slice(0, 256);
    expect(newPasswordSchema.parse(long)).toBe(long);
    expect(newPasswordSchema.safeParse(`${long}x`).success).toBe(false);
  });

  it("does not trim: spaces are part of the password", () => {
    expect(newPasswordSchema.parse("  spaced out  ")).toBe("  spaced out  ");
  });
});

describe("form schemas", () => {
  it("report field errors keyed by field name", () => {
    const result = signUpSchema.safeParse({ name: "", email: "nope", password: "short" });
    expect(result.success).toBe(false);
    const errors = fieldErrorsOf(result.error!);
    expect(Object.keys(errors).sort()).toEqual(["email", "name", "password"]);
  });

  it("sign-in accepts any non-empty password up to the maximum", () => {
    expect(signInSchema.safeParse({ email: "a@b.co", password: "x" }).success).toBe(true);
    expect(signInSchema.safeParse({ email: "a@b.co", password: "" }).success).toBe(false);
  });

  it("names: trimmed, 1–100 characters, no control characters", () => {
    expect(changeNameSchema.parse({ name: "  Grace  " })).toEqual({ name: "Grace" });
    expect(changeNameSchema.safeParse({ name: "n".repeat(100) }).success).toBe(true);
    for (const name of ["", "  ", "n".repeat(101), "a\tb", "a\u007fb"]) {
      expect(changeNameSchema.safeParse({ name }).success, JSON.stringify(name)).toBe(false);
    }
  });
});

describe("display names (sign-up, invitation sign-up, profile)", () => {
  it.each([
    ["a right-to-left override", "Ada\u202Egnp.exe"],
    ["a left-to-right override", "\u202DAda"],
    ["a right-to-left isolate", "Ada \u2067Admin\u2069"],
    ["a right-to-left mark", "Ada\u200F"],
    ["a zero-width space", "Ad\u200Ba"],
    ["a zero-width joiner", "Ad\u200Da"],
    ["a zero-width non-joiner", "Ad\u200Ca"],
    ["a byte-order mark inside", "Ad\uFEFFa"],
    ["a soft hyphen", "Ad\u00ADa"],
    ["a word joiner", "Ad\u2060a"],
    ["an invisible tag character", "Ada\u{E0041}"],
    ["a C1 control character", "Ada\u0085"],
    ["a line separator", "Ada\u2028Lovelace"],
    ["a lone surrogate", "Ada\uD800"],
  ])("refuses %s, saying which rule failed", (_label, name) => {
    const result = changeNameSchema.safeParse({ name });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/invisible|control/);
  });

  it("normalizes to NFKC: compatibility forms become the plain letters", () => {
    expect(changeNameSchema.parse({ name: "\uFF21\uFF44\uFF41" })).toEqual({ name: "Ada" }); // full-width
    expect(changeNameSchema.parse({ name: "\uFB01ona" })).toEqual({ name: "fiona" }); // the "fi" ligature
    expect(changeNameSchema.parse({ name: "Rene\u0301e" })).toEqual({ name: "Ren\u00E9e" }); // combining accent, composed
    expect(changeNameSchema.parse({ name: "\u3000Ada\u3000" })).toEqual({ name: "Ada" }); // ideographic spaces
  });

  it("keeps names in any script, with accents and emoji (positive control)", () => {
    for (const name of ["Zoë Ørsted", "Łukasz Żółć", "محمد", "李小龍", "Ada 🚀", "O'Brien-Smith"]) {
      expect(changeNameSchema.parse({ name }), name).toEqual({ name });
    }
  });

  it("counts the 100-character limit after normalizing", () => {
    expect(changeNameSchema.safeParse({ name: "\uFB01".repeat(50) }).success).toBe(true);
    expect(changeNameSchema.safeParse({ name: "\uFB01".repeat(51) }).success).toBe(false);
  });
});

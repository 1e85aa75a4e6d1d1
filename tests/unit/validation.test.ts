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

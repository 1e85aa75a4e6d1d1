import { describe, expect, it } from "vitest";

import { ORG_NAME_MAX, ORG_NAME_RULES, orgNameProblem, orgNameSchema } from "@/lib/shared/names";

/** The message the schema gives (what the form and the server show), or undefined when valid. */
function schemaMessage(value: unknown): string | undefined {
  const parsed = orgNameSchema.safeParse(value);
  return parsed.success ? undefined : parsed.error.issues[0]?.message;
}

describe("orgNameProblem / orgNameSchema", () => {
  it.each([
    ["a single letter", "a"],
    ["a letter and a digit", "a1"],
    ["single dashes inside", "my-team"],
    ["digits only", "123"],
    ["39 characters", "a".repeat(ORG_NAME_MAX)],
    ["a reserved word as part of a name", "api-team"],
  ])("accepts %s", (_label, name) => {
    expect(orgNameProblem(name)).toBeUndefined();
    expect(orgNameSchema.parse(name)).toBe(name);
  });

  it.each([
    ["empty", "", /Enter a name/],
    ["one space", " ", /Spaces are not allowed/],
    ["a space inside", "my team", /Spaces are not allowed/],
    ["a trailing space", "acme ", /Spaces are not allowed/],
    ["a tab", "my\tteam", /Spaces are not allowed/],
    ["uppercase", "Acme", /lowercase/],
    ["all uppercase", "ACME", /lowercase.*acme/],
    ["a double dash", "my--team", /single dashes/],
    ["a leading dash", "-acme", /start and end with a letter or a digit/],
    ["a trailing dash", "acme-", /start and end with a letter or a digit/],
    ["40 characters", "a".repeat(40), /at most 39 characters \(this one has 40\)/],
    ["1000 characters", "a".repeat(1000), /at most 39 characters/],
    ["a zero-width space (U+200B)", "ac\u200Bme", /invisible or text-direction/],
    ["a right-to-left override (U+202E)", "\u202Eemca", /invisible or text-direction/],
    ["a byte-order mark", "\uFEFFacme", /invisible or text-direction/],
    ["a Cyrillic homoglyph (а)", "\u0430cme", /look-alike letters/],
    ["a Greek homoglyph (ο)", "acm\u03BF", /look-alike letters/],
    ["an accented letter", "caf\u00E9", /look-alike letters|accents/],
    ["a dot", "my.team", /only the letters a–z, digits and dashes/],
    ["an underscore", "my_team", /only the letters a–z, digits and dashes/],
    ["HTML", "<b>x</b>", /only the letters a–z, digits and dashes/],
  ])("refuses %s with the rule that failed", (_label, name, message) => {
    const problem = orgNameProblem(name);
    expect(problem).toMatch(message);
    expect(schemaMessage(name)).toBe(problem);
  });

  it("says the uppercase name in lowercase, as the hint to follow", () => {
    expect(orgNameProblem("My-Team")).toBe("Use lowercase letters only, like my-team.");
  });

  it.each(["api", "www", "admin", "app", "new", "settings", "orgs", "account", "invitations"])("refuses the reserved word %s", (name) => {
    expect(orgNameProblem(name)).toBe(`"${name}" is reserved. Choose another name.`);
    expect(schemaMessage(name)).toBe(`"${name}" is reserved. Choose another name.`);
    // Positive control: the same word with a suffix is an ordinary name.
    expect(orgNameProblem(`${name}1`)).toBeUndefined();
  });

  it("refuses more than 1000 characters and non-strings with a clear message", () => {
    expect(schemaMessage("a".repeat(1001))).toMatch(/at most 39 characters/);
    expect(schemaMessage(undefined)).toBe("Enter a name for the organization.");
    expect(schemaMessage(42)).toBe("Enter a name for the organization.");
    expect(schemaMessage(null)).toBe("Enter a name for the organization.");
    expect(schemaMessage("acme")).toBeUndefined();
  });
});

describe("ORG_NAME_RULES (the live checklist)", () => {
  const failing = (name: string) => ORG_NAME_RULES.filter((rule) => !rule.passes(name)).map((rule) => rule.id);

  it("ticks every rule for a valid name and the broken ones for an invalid name", () => {
    expect(failing("my-team")).toEqual([]);
    expect(failing("")).toEqual(["length", "charset", "edges", "dashes"]);
    expect(failing("My--team-")).toEqual(["charset", "edges", "dashes"]);
    expect(failing("a".repeat(40))).toEqual(["length"]);
    expect(failing("\u0430cme")).toEqual(["charset", "edges"]);
  });
});

import { describe, expect, it } from "vitest";

import { typedConfirmationProblem } from "@/lib/shared/confirmation";

// The typed "type the name to confirm" rule of destructive console actions (leave or
// delete an org, remove a member, delete an app, a secret or an API token). The server
// action wrapper (lib/next/action.ts) applies it; the domain functions no longer do.
describe("typedConfirmationProblem", () => {
  it.each(["ci-deploy", "acme", "Acme-Prod", "a".repeat(100)])("passes the exact name %s", (name) => {
    expect(typedConfirmationProblem(name, name)).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ["missing", undefined],
    ["null", null],
    ["empty", ""],
    ["upper case", "CI-DEPLOY"],
    ["another case", "Ci-deploy"],
    ["a prefix", "ci"],
    ["one character short", "ci-deplo"],
    ["a leading space", " ci-deploy"],
    ["a trailing space", "ci-deploy "],
    ["a trailing line break", "ci-deploy\n"],
    ["another word", "delete"],
    ["a number", 42],
    ["an array holding the name", ["ci-deploy"]],
    ["an object", { name: "ci-deploy" }],
    ["a File-like value", new Blob(["ci-deploy"])],
  ])("refuses %s, telling which name to type", (_label, typed) => {
    expect(typedConfirmationProblem(typed, "ci-deploy")).toEqual({
      message: "Type the name to confirm.",
      field: "Type ci-deploy to confirm.",
    });
  });

  it("names the expected value in the field message (here an org name)", () => {
    expect(typedConfirmationProblem("acme", "acme-prod")?.field).toBe("Type acme-prod to confirm.");
  });

  it.each<[string, unknown]>([
    ["an empty string", ""],
    ["nothing", undefined],
    ["a name", "acme"],
  ])("refuses %s when the expected name is empty (a form without the name never confirms)", (_label, typed) => {
    expect(typedConfirmationProblem(typed, "")).toMatchObject({ message: "Type the name to confirm." });
  });
});

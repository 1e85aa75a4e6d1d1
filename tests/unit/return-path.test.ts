import { describe, expect, it } from "vitest";

import { safeReturnPath } from "@/lib/auth/return-path";

// vitest.config.ts sets APP_URL=http://localhost:3000.
describe("safeReturnPath (where sign-in sends the user back to)", () => {
  it.each([
    ["a tab after the first slash (browsers drop it: //evil.example)", "/\t/evil.example/x"],
    ["a line feed (a 500 before)", "/\n/evil.example/x"],
    ["a carriage return (a 500 before)", "/\r/evil.example/x"],
    ["a tab inside the host part", "/\t\t/evil.example"],
    ["a NUL byte", "/orgs\u0000/x"],
    ["a C1 control", "/orgs\u0085x"],
    ["a DEL", "/orgs\u007fx"],
    ["a protocol-relative URL", "//evil.example/x"],
    ["a backslash after the slash", "/\\evil.example/x"],
    ["a backslash anywhere", "/orgs\\..\\..\\evil"],
    ["an absolute URL to another host", "https://evil.example/x"],
    ["an absolute URL to this host", "http://localhost:3000/orgs"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a relative path without a slash", "evil.example"],
    ["dot segments that resolve to //evil", "/..//evil.example/x"],
    ["a dot segment that resolves to //evil", "/.//evil.example"],
    ["encoded dot segments that resolve to //evil", "/%2e%2e//evil.example"],
    ["an empty string", ""],
    ["more than 2000 characters", `/${"a".repeat(2000)}`],
    ["not a string", 42],
    ["nothing", undefined],
  ])("refuses %s", (_label, value) => {
    expect(safeReturnPath(value, "/fallback")).toBe("/fallback");
  });

  it("keeps an own path with its query and fragment (positive control)", () => {
    expect(safeReturnPath("/orgs/acme/activity?type=app.created&from=2026-01-01#top", "/fallback")).toBe(
      "/orgs/acme/activity?type=app.created&from=2026-01-01#top",
    );
    expect(safeReturnPath("/invitations/AbC_dEf-123", "/fallback")).toBe("/invitations/AbC_dEf-123");
    expect(safeReturnPath("/", "/fallback")).toBe("/");
  });

  it("returns the path as the app's own origin resolves it: encoded, dot segments removed", () => {
    expect(safeReturnPath("/orgs/acme/../beta", "/fallback")).toBe("/orgs/beta");
    expect(safeReturnPath("/été", "/fallback")).toBe("/%C3%A9t%C3%A9");
    // An encoded slash stays encoded: a path on this host, not another host.
    expect(safeReturnPath("/%2F%2Fevil.example", "/fallback")).toBe("/%2F%2Fevil.example");
  });

  it("falls back to / by default and to what the caller gives", () => {
    expect(safeReturnPath("//evil.example")).toBe("/");
    expect(safeReturnPath("//evil.example", "")).toBe("");
  });
});

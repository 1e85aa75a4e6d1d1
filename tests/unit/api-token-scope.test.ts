import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Every .ts/.tsx file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe("API tokens are accepted on /api/v1 only", () => {
  it("only lib/api (behind app/api/v1) authenticates tokens; no page, action or other route reads Authorization", () => {
    const offenders = [
      ...sources("app"),
      ...sources("actions"),
      ...sources("lib"),
      ...sources("components"),
      ...["proxy.ts", "middleware.ts"].filter((file) => existsSync(file)),
    ]
      .filter((file) => !file.startsWith(`lib${path.sep}api${path.sep}`) && file !== path.join("lib", "api-tokens", "api-tokens.ts"))
      .filter((file) => /authenticateApiToken|["']authorization["']/i.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("lib/api is used by the /api/v1 routes only", () => {
    const users = [...sources("app"), ...sources("actions"), ...sources("components")].filter((file) =>
      /from ["']@\/lib\/api\//.test(readFileSync(file, "utf8")),
    );
    expect(users.length).toBeGreaterThan(0);
    for (const file of users) expect(file.startsWith(path.join("app", "api", "v1") + path.sep), file).toBe(true);
  });
});

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The activity stream is append-only (SECURITY.md, "Activity log"): besides the
 * database triggers, no source file may even try to edit or delete an entry, and
 * entries are written only through recordActivity (lib/activity/record.ts).
 */
const root = path.resolve(import.meta.dirname, "../..");
const scanned = ["lib", "app", "actions", "components", "db"];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "migrations") out.push(...sourceFiles(full));
    } else if (/\.(ts|tsx|mts|js|mjs)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

const files = scanned.flatMap((dir) => sourceFiles(path.join(root, dir)));
const relative = (file: string) => path.relative(root, file);

function hits(pattern: RegExp): string[] {
  return files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, index) => (pattern.test(line) ? [`${relative(file)}:${index + 1}: ${line.trim()}`] : [])),
  );
}

describe("no code path edits or deletes an activity entry", () => {
  it("scans a meaningful set of files (positive control)", () => {
    expect(files.map(relative)).toEqual(
      expect.arrayContaining(["lib/activity/record.ts", "lib/activity/feed.ts", "lib/orgs/organizations.ts", "actions/organizations.ts"]),
    );
    expect(hits(/\binsert\(\s*activities\b/), "the grep finds the one insert").toEqual([
      expect.stringMatching(/^lib\/activity\/record\.ts:/),
    ]);
  });

  it("no Drizzle update(activities) or delete(activities)", () => {
    expect(hits(/\b(update|delete)\(\s*activities\b/)).toEqual([]);
  });

  it("no raw SQL UPDATE / DELETE FROM / TRUNCATE of activities", () => {
    expect(hits(/\b(update\s+"?activities"?\s+set|delete\s+from\s+"?activities"?|truncate\s+(table\s+)?"?activities"?)\b/i)).toEqual([]);
  });

  it("entries are inserted only by recordActivity in lib/activity/record.ts", () => {
    expect(hits(/\binsert\(\s*activities\b|insert\s+into\s+"?activities"?/i)).toEqual([
      expect.stringMatching(/^lib\/activity\/record\.ts:\d+: await tx\.insert\(activities\)/),
    ]);
  });
});

import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { openDatabase, type Database } from "@/db/client";
import { DatabaseLockedError, lockDataDirectory } from "@/db/pglite-lock";

/*
 * PGlite has no lock across processes: two processes on one directory silently
 * diverge. db/pglite-lock.ts makes a second process fail with a clear message.
 * The second process here is a real one (tsx), as a second `next start` would be.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const childScript = path.join(root, "tests/fixtures/open-pglite.ts");

function openInChild(dir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", childScript, dir], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A pid that belonged to a process which has exited. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(result.stdout);
}

let tmp: string;
// One data directory for the file: creating one costs PGlite several seconds.
let dir: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pglite-lock-"));
  dir = path.join(tmp, "app-data");
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("embedded database lock", () => {
  it("refuses a second process while the directory is open, and lets it in after close", async () => {
    let first: Database | undefined = await openDatabase({ dir });
    try {
      await first.migrate();
      await first.db.execute(sql`create table lock_probe (note text)`);
      await first.db.execute(sql`insert into lock_probe values ('written by the first process')`);
      expect(fs.readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));

      const refused = await openInChild(dir);
      expect(refused.code, refused.stderr).not.toBe(0);
      expect(refused.stdout).not.toContain("opened");
      expect(refused.stderr).toContain("DatabaseLockedError");
      expect(refused.stderr).toContain("already open in another process");
      expect(refused.stderr).toContain(`(pid ${process.pid})`);

      await first.close();
      first = undefined;
      expect(fs.existsSync(`${dir}.lock`)).toBe(false);

      // Positive control: once closed, another process opens it (and releases it on exit).
      const admitted = await openInChild(dir);
      expect(admitted.stderr).toBe("");
      expect(admitted.code).toBe(0);
      expect(admitted.stdout).toContain("opened");
      expect(fs.existsSync(`${dir}.lock`)).toBe(false);
    } finally {
      await first?.close();
    }
  });

  it("takes over a lock left by a process that died, and keeps the data", async () => {
    // The directory the previous test wrote to and closed.
    fs.writeFileSync(`${dir}.lock`, String(deadPid()));
    const reopened = await openDatabase({ dir });
    try {
      expect(fs.readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));
      const result = (await reopened.db.execute(sql`select note from lock_probe`)) as unknown as { rows: unknown[] };
      expect(result.rows).toEqual([{ note: "written by the first process" }]);
    } finally {
      await reopened.close();
    }
  });

  it("lockDataDirectory refuses a live foreign pid and releases only its own lock", () => {
    const plain = path.join(tmp, "plain");
    // The parent of this test process (vitest) is alive and is not us.
    fs.writeFileSync(`${plain}.lock`, String(process.ppid));
    expect(() => lockDataDirectory(plain)).toThrow(DatabaseLockedError);
    expect(fs.readFileSync(`${plain}.lock`, "utf8")).toBe(String(process.ppid));

    fs.rmSync(`${plain}.lock`);
    const release = lockDataDirectory(plain);
    expect(fs.readFileSync(`${plain}.lock`, "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(`${plain}.lock`)).toBe(false);
  });
});

import fs from "node:fs";
import path from "node:path";

/**
 * PGlite has no lock across processes: two processes on one data directory each
 * see only their own writes. We hold `<dir>.lock` (holding our pid) for the life
 * of the process and refuse a second opener with a message that says what to do.
 */
export class DatabaseLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `The embedded database in ${dir} is already open in another process (pid ${pid}). ` +
        `Stop that process, or point PGLITE_DIR at another directory (or set DATABASE_URL to use PostgreSQL).`,
    );
    this.name = "DatabaseLockedError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// Directories this process holds: a second open in the same process is refused too.
const heldHere = ((globalThis as { heldPgliteLocks?: Set<string> }).heldPgliteLocks ??= new Set<string>());

export function lockDataDirectory(dir: string): () => void {
  const lockPath = `${path.resolve(dir)}.lock`;
  if (heldHere.has(lockPath)) throw new DatabaseLockedError(dir, process.pid);
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      heldHere.add(lockPath);
      const release = () => {
        heldHere.delete(lockPath);
        try {
          if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(fs.readFileSync(lockPath, "utf8"), 10);
      // Our own pid here can only be a previous process that had the same pid.
      if (Number.isFinite(holder) && holder !== process.pid && isAlive(holder)) throw new DatabaseLockedError(dir, holder);
      // Left by a process that died. Rename it away first: of two processes racing
      // to take it over, only one rename succeeds; the other retries and finds ours.
      try {
        fs.renameSync(lockPath, `${lockPath}.stale-${process.pid}`);
        fs.rmSync(`${lockPath}.stale-${process.pid}`, { force: true });
      } catch {
        // someone else took it over first
      }
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

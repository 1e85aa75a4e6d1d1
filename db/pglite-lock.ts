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

export function lockDataDirectory(dir: string): () => void {
  const lockPath = `${path.resolve(dir)}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      const release = () => {
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
      if (holder === process.pid) return () => {};
      if (Number.isFinite(holder) && isAlive(holder)) throw new DatabaseLockedError(dir, holder);
      fs.rmSync(lockPath, { force: true }); // left by a process that died: take it over
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

import "server-only";

import { getDatabase } from "@/db";
import { env } from "@/lib/core/env";
import { errorField, log } from "@/lib/core/log";

import { startJobWorkers, type JobWorkers } from "./worker";

const globalForWorkers = globalThis as unknown as { jobWorkers?: Promise<JobWorkers | undefined>; shuttingDown?: boolean };

/**
 * The web server's own workers (`npm run dev`, `npm start`), unless JOBS_IN_PROCESS=false
 * (workers then run apart with `npm run worker`). Started once per process.
 */
export function startInProcessWorkers(): Promise<JobWorkers | undefined> {
  globalForWorkers.jobWorkers ??= (async () => {
    if (env().JOBS_IN_PROCESS === "false") return undefined;
    try {
      return await startJobWorkers(await getDatabase());
    } catch (error) {
      // The app still serves pages; jobs wait in the database for a worker. Readiness says so.
      log.error({ err: errorField(error) }, "could not start the in-process job workers");
      globalForWorkers.jobWorkers = undefined;
      return undefined;
    }
  })();
  return globalForWorkers.jobWorkers;
}

/** The in-process workers, if they run (for readiness). */
export async function inProcessWorkers(): Promise<JobWorkers | undefined> {
  return globalForWorkers.jobWorkers;
}

export function isShuttingDown(): boolean {
  return globalForWorkers.shuttingDown === true;
}

/**
 * SIGTERM/SIGINT (npm start sets NEXT_MANUAL_SIG_HANDLE so that this runs instead of
 * Next's own exit): readiness turns 503 at once so a load balancer stops sending,
 * the workers stop taking jobs and finish (or release) the ones in flight, requests
 * in flight get a grace period, then the pool closes and the process exits.
 */
export function handleShutdownSignals(graceMs = 5_000): void {
  const shutdown = async (signal: string) => {
    if (globalForWorkers.shuttingDown) return;
    globalForWorkers.shuttingDown = true;
    log.info({ signal }, "shutting down");
    try {
      const workers = await globalForWorkers.jobWorkers;
      await Promise.all([workers?.stop({ timeoutMs: 20_000 }), new Promise((resolve) => setTimeout(resolve, graceMs))]);
      await (await getDatabase()).close();
    } catch (error) {
      log.error({ err: errorField(error) }, "unclean shutdown");
    } finally {
      process.exit(0);
    }
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

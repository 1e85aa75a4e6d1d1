import "server-only";

import type { Database } from "@/db/client";
import { JOB_SCHEMA } from "@/db/job-queue";
import { env } from "@/lib/core/env";

import { inProcessWorkers, isShuttingDown } from "./in-process";

export interface Readiness {
  ready: boolean;
  checks: { database: string; queue: string; workers: string };
}

/**
 * Whether this instance should get traffic: the database answers, the job queue's
 * schema is installed, and the in-process workers (when this process runs them)
 * are up. During shutdown it answers not ready so a load balancer drains it.
 */
export async function checkReadiness(open: () => Promise<Database>, options: { workersInProcess?: boolean } = {}): Promise<Readiness> {
  const workersInProcess = options.workersInProcess ?? env().JOBS_IN_PROCESS !== "false";
  const checks = { database: "ok", queue: "ok", workers: "ok" };
  if (isShuttingDown()) return { ready: false, checks: { database: "shutting down", queue: "shutting down", workers: "stopping" } };
  try {
    const database = await withTimeout(open(), 3000);
    await withTimeout(database.sql.executeSql("SELECT 1 AS ok", []), 3000);
    try {
      const { rows } = await withTimeout(database.sql.executeSql(`SELECT version FROM ${JOB_SCHEMA}.version`, []), 3000);
      if (rows.length === 0) checks.queue = "not installed: run npm run db:migrate";
    } catch {
      checks.queue = "not installed: run npm run db:migrate";
    }
  } catch (error) {
    checks.database = `unavailable: ${error instanceof Error ? error.message.split("\n")[0] : "error"}`;
    checks.queue = "unknown";
  }
  if (!workersInProcess) checks.workers = "separate (JOBS_IN_PROCESS=false)";
  else if (!(await inProcessWorkers())?.running()) checks.workers = "not running";
  const ready = checks.database === "ok" && checks.queue === "ok" && !checks.workers.startsWith("not");
  return { ready, checks };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);
}

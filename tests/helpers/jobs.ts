import type { Db } from "@/db/client";
import { JOB_SCHEMA } from "@/db/job-queue";
import { runDueJobs, type DrainResult } from "@/lib/jobs/drain";
import type { JobDependencies } from "@/lib/jobs/handlers";
import { drizzleExecutor } from "@/lib/jobs/queue";

/** Runs every due job now, as a worker would (tests have no background worker). */
export function runJobs(db: Db, deps: JobDependencies = {}): Promise<DrainResult> {
  return runDueJobs(db, deps);
}

/** Makes every job waiting for its retry (backoff) due now, to walk a retry schedule without waiting. */
export async function makeRetriesDue(db: Db): Promise<number> {
  const { rows } = await drizzleExecutor(db).executeSql(
    `WITH due AS (UPDATE ${JOB_SCHEMA}.job SET start_after = now() WHERE state = 'retry' RETURNING 1) SELECT count(*)::int AS n FROM due`,
    [],
  );
  return Number(rows[0]?.n ?? 0);
}

/** The jobs of a queue, by state (the whole queue when `state` is omitted). */
export async function jobsIn(
  db: Db,
  queue: string,
  state?: string,
): Promise<{ id: string; state: string; data: Record<string, unknown>; retryCount: number }[]> {
  const { rows } = await drizzleExecutor(db).executeSql(
    `SELECT id, state, data, retry_count FROM ${JOB_SCHEMA}.job WHERE name = $1 AND ($2::text IS NULL OR state::text = $2) ORDER BY created_on`,
    [queue, state ?? null],
  );
  return rows.map((r) => ({
    id: String(r.id),
    state: String(r.state),
    data: r.data as Record<string, unknown>,
    retryCount: Number(r.retry_count),
  }));
}

import "server-only";

import PgBoss from "pg-boss";

import type { Db } from "@/db";
import { JOB_QUEUE_DEFAULTS, JOB_QUEUES, JOB_SCHEMA, type JobQueue } from "@/db/job-queue";

import { runJob, type JobDependencies, type RunningJob } from "./handlers";
import { drizzleExecutor } from "./queue";

export interface DrainResult {
  completed: number;
  failed: number;
}

/**
 * Runs every job that is due now, in this process, until none is left: for tests
 * (which check what a commit delivers without a background worker) and for
 * `npm run jobs run`. Outcomes are recorded as a worker would (retry, dead).
 */
export async function runDueJobs(db: Db, deps: JobDependencies = {}, queues: readonly JobQueue[] = JOB_QUEUES): Promise<DrainResult> {
  const boss = new PgBoss({ db: drizzleExecutor(db), schema: JOB_SCHEMA, ...JOB_QUEUE_DEFAULTS });
  const result: DrainResult = { completed: 0, failed: 0 };
  for (let round = 0; round < 1000; round++) {
    let ran = 0;
    for (const queue of queues) {
      const jobs = await boss.fetch<RunningJob["data"]>(queue, { batchSize: 20, includeMetadata: true });
      for (const job of jobs) {
        ran++;
        try {
          const running = { id: job.id, name: queue, data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit } as RunningJob;
          await runJob(db, running, deps);
          await boss.complete(queue, job.id);
          result.completed++;
        } catch (error) {
          await boss.fail(queue, job.id, { message: error instanceof Error ? error.message : String(error) });
          result.failed++;
        }
      }
    }
    if (ran === 0) return result;
  }
  return result;
}

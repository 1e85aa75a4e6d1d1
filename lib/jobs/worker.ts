import "server-only";

import PgBoss from "pg-boss";

import type { Database } from "@/db/client";
import { JOB_QUEUE_DEFAULTS, JOB_QUEUES, JOB_SCHEMA, type JobQueue } from "@/db/job-queue";
import { env } from "@/lib/core/env";
import { errorField, log } from "@/lib/core/log";

import { runJob, type JobDependencies, type RunningJob } from "./handlers";

/** Jobs of a queue one process runs at once (each worker holds one job). */
const CONCURRENCY: Partial<Record<JobQueue, number>> = { "mail.deliver": 4 };

/** The periodic jobs, on the same queue: pg-boss sends each once per schedule, whatever the number of instances. */
export const SCHEDULES: { queue: JobQueue; cron: string }[] = [
  // Renewals and dunning retries are due at a period's end or a retry's day: a few minutes late is fine.
  { queue: "billing.cycle", cron: "*/5 * * * *" },
  { queue: "maintenance.purge-expired", cron: "17 * * * *" },
  { queue: "maintenance.trim-rate-limits", cron: "*/10 * * * *" },
  { queue: "maintenance.reconcile-stripe", cron: "41 3 * * *" },
];

export interface JobWorkers {
  /** Stops taking jobs, waits for the ones in flight (up to `timeoutMs`), and releases the rest for another worker. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** Whether the workers are running (for readiness). */
  running(): boolean;
}

/**
 * Starts a worker per queue (several for e-mail) on this process's database, with
 * pg-boss's maintenance (a job held past JOB_EXPIRE_SECONDS by a dead worker goes
 * back to the queue) and its scheduler for the periodic jobs. Polls only: no
 * LISTEN and no session-level lock, so it runs behind PgBouncer in transaction mode.
 */
export async function startJobWorkers(database: Database, deps: JobDependencies = {}): Promise<JobWorkers> {
  const config = env();
  const boss = new PgBoss({
    db: database.sql,
    schema: JOB_SCHEMA,
    migrate: false,
    supervise: true,
    schedule: true,
    maintenanceIntervalSeconds: config.JOB_MAINTENANCE_INTERVAL_SECONDS,
    ...JOB_QUEUE_DEFAULTS,
  });
  boss.on("error", (error: unknown) => log.error({ err: errorField(error) }, "job queue error"));
  await boss.start();
  let running = true;

  for (const queue of JOB_QUEUES) {
    // PGlite runs one query at a time: more workers would only queue behind each other.
    const workers = database.kind === "pglite" ? 1 : (CONCURRENCY[queue] ?? 1);
    for (let i = 0; i < workers; i++) {
      let workerId = "";
      workerId = await boss.work<RunningJob["data"]>(
        queue,
        { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: config.JOB_POLL_INTERVAL_SECONDS },
        async ([job]) => {
          if (!job) return;
          await runJob(
            database.db,
            { id: job.id, name: queue, data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit } as RunningJob,
            deps,
          );
          // A worker that just finished a job looks for the next one at once instead of waiting a polling interval.
          boss.notifyWorker(workerId);
        },
      );
    }
  }
  for (const { queue, cron } of SCHEDULES) await boss.schedule(queue, cron, {}, { retryLimit: 3, retryDelay: 60, retryBackoff: true });
  log.info({ queues: JOB_QUEUES.length }, "job workers started");

  return {
    running: () => running,
    async stop({ timeoutMs = 20_000 } = {}) {
      if (!running) return;
      running = false;
      // graceful: in-flight jobs may finish until the timeout; pg-boss then fails the rest, which retry elsewhere.
      await boss.stop({ graceful: true, wait: true, close: false, timeout: timeoutMs });
      log.info("job workers stopped");
    },
  };
}

import PgBoss from "pg-boss";

import type { SqlExecutor } from "./client";

/** pg-boss keeps its tables in this schema, beside ours (public). */
export const JOB_SCHEMA = "pgboss";

/**
 * Every queue of the app. A job can only be sent to a queue that exists (pg-boss
 * partitions its job table by queue), so they are created with the schema, by
 * every migration, as tables are.
 */
export const JOB_QUEUES = [
  "mail.deliver",
  "stripe.customer-update",
  "stripe.customer-delete",
  "stripe.payment-method-detach",
  "stripe.subscription-sync",
  "stripe.invoice-usage",
  "stripe.final-invoice",
  "billing.charge-invoice",
  "billing.cycle",
  "maintenance.purge-expired",
  "maintenance.trim-rate-limits",
  "maintenance.reconcile-stripe",
] as const;

export type JobQueue = (typeof JOB_QUEUES)[number];

/** What the queue settings that do not depend on the environment are. */
export const JOB_QUEUE_DEFAULTS = {
  // A dead job stays visible (and retryable with `npm run jobs`) for 30 days.
  archiveFailedAfterSeconds: 30 * 24 * 3600,
  deleteAfterDays: 30,
};

/**
 * Installs (or upgrades) pg-boss's schema and creates the app's queues. Safe to
 * run from several processes at once: pg-boss serializes its own migrations with
 * an advisory lock, and creating a queue that exists does nothing.
 */
export async function installJobQueue(sql: SqlExecutor): Promise<void> {
  const boss = new PgBoss({
    db: sql,
    schema: JOB_SCHEMA,
    migrate: true,
    supervise: false,
    schedule: false,
    ...JOB_QUEUE_DEFAULTS,
  });
  await boss.start();
  try {
    for (const name of JOB_QUEUES) await boss.createQueue(name, { name, policy: "standard" });
  } finally {
    await boss.stop({ graceful: false, close: false });
  }
}

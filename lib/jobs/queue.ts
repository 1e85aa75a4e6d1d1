import "server-only";

import { sql, type SQL } from "drizzle-orm";
import PgBoss from "pg-boss";

import type { Db } from "@/db";
import { toDriverValue, type SqlExecutor } from "@/db/client";
import { JOB_QUEUE_DEFAULTS, JOB_SCHEMA, type JobQueue } from "@/db/job-queue";
import { env } from "@/lib/core/env";

/** What each queue's jobs carry: ids, never a secret (a job's data is stored in the clear). */
export interface JobPayloads {
  "mail.deliver": { emailId: string };
  "stripe.customer-update": { orgId: string; customerId: string };
  "stripe.customer-delete": { customerId: string };
  "stripe.payment-method-detach": { providerRef: string };
  /** Makes the org's Stripe subscription match its plan as it is when the job runs. */
  "stripe.subscription-sync": { orgId: string };
  /** Adds the ended period's app-hours to a draft renewal invoice of Stripe (`in_…`). */
  "stripe.invoice-usage": { orgId: string; providerInvoiceId: string };
  /** Bills the last period's app-hours of an ended Stripe subscription (`sub_…`) on a final invoice. */
  "stripe.final-invoice": { orgId: string; providerSubscriptionId: string };
  /** Attempt `attempt` to charge an invoice; a job for an attempt already made finds it recorded and does nothing. */
  "billing.charge-invoice": { invoiceId: string; attempt: number };
  "billing.cycle": Record<string, never>;
  "maintenance.purge-expired": Record<string, never>;
  "maintenance.trim-rate-limits": Record<string, never>;
  "maintenance.reconcile-stripe": Record<string, never>;
}

/** Retries with exponential backoff and jitter (pg-boss: delay·2ⁿ/2 plus up to as much at random). */
export function retryPolicy() {
  const config = env();
  return {
    retryLimit: config.JOB_RETRY_LIMIT,
    retryDelay: config.JOB_RETRY_DELAY_SECONDS,
    retryBackoff: true,
    expireInSeconds: config.JOB_EXPIRE_SECONDS,
  };
}

const globalForQueue = globalThis as unknown as { jobSender?: PgBoss };

// Only builds the INSERT: every call passes the transaction it runs in.
function sender(): PgBoss {
  const refuse: SqlExecutor = {
    executeSql: () => Promise.reject(new Error("enqueue runs in the caller's transaction")),
  };
  return (globalForQueue.jobSender ??= new PgBoss({ db: refuse, schema: JOB_SCHEMA, ...JOB_QUEUE_DEFAULTS }));
}

/**
 * Adds a job in the caller's transaction (the transactional outbox): it exists if,
 * and only if, the change that caused it commits, and a worker picks it up from
 * then on, retrying until it succeeds or runs out of attempts.
 */
export async function enqueue<Q extends JobQueue>(
  tx: Db,
  queue: Q,
  data: JobPayloads[Q],
  options: { startAfter?: Date } = {},
): Promise<string> {
  const id = await sender().send(queue, data, { ...retryPolicy(), ...options, db: drizzleExecutor(tx) });
  if (!id) throw new Error(`The job queue "${queue}" does not exist: run the database migrations.`);
  return id;
}

/** pg-boss's SQL run through Drizzle on a database or transaction, whichever the driver (one statement with values). */
export function drizzleExecutor(tx: Db): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      const result: unknown = await tx.execute(bindParameters(text, values));
      const rows = Array.isArray(result) ? result : (result as { rows: Record<string, unknown>[] }).rows;
      return { rows: rows as Record<string, unknown>[] };
    },
  };
}

/** `text` with $1..$n turned into Drizzle parameters (each occurrence its own, same value). */
export function bindParameters(text: string, values: unknown[]): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    const index = Number(match[1]) - 1;
    if (index < 0 || index >= values.length) throw new Error(`$${index + 1} has no value`);
    chunks.push(sql.raw(text.slice(last, match.index)), sql`${toDriverValue(values[index])}`);
    last = match.index + match[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks);
}

import "server-only";

import { eq } from "drizzle-orm";
import PgBoss from "pg-boss";

import type { Db } from "@/db";
import { JOB_QUEUE_DEFAULTS, JOB_QUEUES, JOB_SCHEMA, type JobQueue } from "@/db/job-queue";
import { emails } from "@/db/schema";

import { drizzleExecutor } from "./queue";

export interface JobRow {
  id: string;
  queue: JobQueue;
  state: string;
  attempts: number;
  data: unknown;
  error: string | null;
  createdOn: Date;
  completedOn: Date | null;
}

export interface QueueCounts {
  queue: string;
  created: number;
  retry: number;
  active: number;
  completed: number;
  failed: number;
}

/** Jobs per queue and state (the operator's overview). */
export async function countJobs(db: Db): Promise<QueueCounts[]> {
  const { rows } = await drizzleExecutor(db).executeSql(
    `SELECT name, state, count(*)::int AS n FROM ${JOB_SCHEMA}.job WHERE name = ANY($1::text[]) GROUP BY name, state`,
    [[...JOB_QUEUES]],
  );
  return JOB_QUEUES.map((queue) => {
    const count = (state: string) => Number(rows.find((r) => r.name === queue && r.state === state)?.n ?? 0);
    return {
      queue,
      created: count("created"),
      retry: count("retry"),
      active: count("active"),
      completed: count("completed"),
      failed: count("failed"),
    };
  });
}

/** Dead jobs (out of attempts), newest first, with their last error. */
export async function listDeadJobs(db: Db, limit = 50): Promise<JobRow[]> {
  const { rows } = await drizzleExecutor(db).executeSql(
    `SELECT id, name, state, retry_count, data, output, created_on, completed_on
       FROM ${JOB_SCHEMA}.job WHERE state = 'failed' AND name = ANY($1::text[])
      ORDER BY completed_on DESC NULLS LAST LIMIT $2`,
    [[...JOB_QUEUES], limit],
  );
  return rows.map((row) => ({
    id: String(row.id),
    queue: row.name as JobQueue,
    state: String(row.state),
    attempts: Number(row.retry_count) + 1,
    data: row.data,
    error: errorOf(row.output),
    createdOn: new Date(String(row.created_on)),
    completedOn: row.completed_on ? new Date(String(row.completed_on)) : null,
  }));
}

function errorOf(output: unknown): string | null {
  const value = typeof output === "string" ? safeJson(output) : output;
  if (value && typeof value === "object" && "message" in value) return String((value as { message: unknown }).message);
  return null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function findJob(db: Db, id: string): Promise<{ queue: JobQueue; data: unknown } | undefined> {
  const { rows } = await drizzleExecutor(db).executeSql(`SELECT name, data FROM ${JOB_SCHEMA}.job WHERE id = $1::uuid`, [id]);
  const row = rows[0];
  return row ? { queue: row.name as JobQueue, data: row.data } : undefined;
}

/** What pg-boss's retry and deleteJob resolve to (its typings say void). */
interface CommandResponse {
  affected: number;
}

function admin(db: Db): PgBoss {
  return new PgBoss({ db: drizzleExecutor(db), schema: JOB_SCHEMA, ...JOB_QUEUE_DEFAULTS });
}

/** Gives a dead job one more attempt, now. A dead e-mail goes back to `queued`. */
export async function retryDeadJob(db: Db, id: string): Promise<boolean> {
  const job = await findJob(db, id);
  if (!job) return false;
  const result = (await admin(db).retry(job.queue, id)) as unknown as CommandResponse;
  if (result.affected === 0) return false;
  const emailId = job.queue === "mail.deliver" ? (job.data as { emailId?: string }).emailId : undefined;
  if (emailId) await db.update(emails).set({ status: "queued" }).where(eq(emails.id, emailId));
  return true;
}

/** Deletes a job for good (a dead e-mail stays recorded as `failed`). */
export async function discardJob(db: Db, id: string): Promise<boolean> {
  const job = await findJob(db, id);
  if (!job) return false;
  const result = (await admin(db).deleteJob(job.queue, id)) as unknown as CommandResponse;
  return result.affected > 0;
}

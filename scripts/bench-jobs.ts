// `npm run bench` (second part): the job queue on a throw-away PostgreSQL database.
//   1. the latency enqueueing adds to a request's transaction (target: < 2 ms p95),
//      measured as the same transaction with and without the enqueue, interleaved;
//   2. jobs per second through the queue: 2,000 e-mails delivered by the workers
//      (outbox transport, so the provider's own speed does not count).
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import postgres from "postgres";

import type { Db } from "@/db/client";
import { emails } from "@/db/schema";
import { enqueue } from "@/lib/jobs/queue";
import { startJobWorkers } from "@/lib/jobs/worker";

import { openDatabase } from "../db/client";

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!serverUrl) throw new Error("Set BENCH_DATABASE_URL (npm run bench starts a throw-away PostgreSQL and sets it).");
process.env.AUTH_SECRET ??= "bench-only-secret-0123456789abcdef0123456789";
process.env.LOG_LEVEL ??= "warn";
process.env.OUTBOX_UI = "false";

const name = `bench_jobs_${process.pid}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`CREATE DATABASE "${name}"`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const database = await openDatabase({ url: url.toString(), maxConnections: 10 });
await database.migrate();
const db = database.db;

const RUNS = 500;
const JOBS = 2_000;

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

// 1. A transaction like a request's (a row written), with and without an enqueue, interleaved.
const without: number[] = [];
const withJob: number[] = [];
const enqueueOnly: number[] = [];
async function requestLikeTransaction(queueJob: boolean) {
  const started = performance.now();
  await db.transaction(async (tx) => {
    await tx.execute(sql`INSERT INTO rate_limits (key, window_start, count) VALUES (${`bench:${Math.random()}`}, now(), 1)`);
    if (queueJob) {
      const enqueued = performance.now();
      await enqueue(tx as unknown as Db, "maintenance.trim-rate-limits", {});
      enqueueOnly.push(performance.now() - enqueued);
    }
  });
  (queueJob ? withJob : without).push(performance.now() - started);
}
for (let i = 0; i < 50; i++) await requestLikeTransaction(i % 2 === 0); // warm-up
without.length = withJob.length = enqueueOnly.length = 0;
for (let i = 0; i < RUNS; i++) {
  await requestLikeTransaction(false);
  await requestLikeTransaction(true);
}

// 2. Throughput: JOBS e-mails queued in batches, then delivered by the workers.
await db.execute(sql`DELETE FROM pgboss.job`);
for (let batch = 0; batch < JOBS / 100; batch++) {
  await db.transaction(async (tx) => {
    const rows = await tx
      .insert(emails)
      .values(
        Array.from({ length: 100 }, (_, i) => ({
          template: "bench",
          to: `bench${batch * 100 + i}@example.test`,
          subject: "Bench",
          html: "<p>x</p>",
          text: "x",
          transport: "outbox",
        })),
      )
      .returning({ id: emails.id });
    for (const row of rows) await enqueue(tx as unknown as Db, "mail.deliver", { emailId: row.id });
  });
}
const quietLog = console.log;
console.log = () => {}; // the outbox transport logs each e-mail
const started = performance.now();
const workers = await startJobWorkers(database);
let delivered = 0;
while (delivered < JOBS) {
  await new Promise((resolve) => setTimeout(resolve, 100));
  const { rows } = await database.sql.executeSql("SELECT count(*)::int AS n FROM emails WHERE status = 'sent'", []);
  delivered = Number(rows[0]?.n ?? 0);
}
const seconds = (performance.now() - started) / 1000;
await workers.stop({ timeoutMs: 5_000 });
console.log = quietLog;

const ms = (value: number) => `${value.toFixed(2)} ms`;
console.log("\n| job queue (PostgreSQL, this machine) | p50 | p95 |");
console.log("|---|---:|---:|");
console.log(`| request-like transaction, no job | ${ms(percentile(without, 0.5))} | ${ms(percentile(without, 0.95))} |`);
console.log(`| the same with one job enqueued | ${ms(percentile(withJob, 0.5))} | ${ms(percentile(withJob, 0.95))} |`);
console.log(`| the enqueue call itself (added latency) | ${ms(percentile(enqueueOnly, 0.5))} | ${ms(percentile(enqueueOnly, 0.95))} |`);
console.log(
  `\nThroughput: ${JOBS} e-mails delivered by one process's workers in ${seconds.toFixed(1)} s = ${(JOBS / seconds).toFixed(0)} jobs/s.`,
);
const added = percentile(enqueueOnly, 0.95);
console.log(`Target: enqueue adds < 2 ms p95 — ${added < 2 ? "met" : "missed"} (${ms(added)}).`);

await database.close();
await admin.unsafe(`DROP DATABASE "${name}" WITH (FORCE)`);
await admin.end();

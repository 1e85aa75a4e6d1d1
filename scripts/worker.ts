// `npm run worker`: runs the job workers alone, for deployments that scale web and
// workers apart (set JOBS_IN_PROCESS=false on the web processes). Needs PostgreSQL
// (DATABASE_URL): the embedded database belongs to the one process that opened it.
// SIGTERM/SIGINT: stop taking jobs, finish or release the ones in flight, close the pool.
import nextEnv from "@next/env";

nextEnv.loadEnvConfig(process.cwd());

const { getDatabase } = await import("@/db");
const { startJobWorkers } = await import("@/lib/jobs/worker");
const { errorField, log } = await import("@/lib/core/log");
const { isDatabaseUnavailable } = await import("@/lib/core/errors");

// When a connection dies outside a query (PostgreSQL restarting, PgBouncer failing its
// server login), postgres.js can reject a promise nobody holds (e.g. the array-type query
// it runs, un-awaited, on each new connection), and Node ends the process for it: the
// worker did not survive a database restart (tests/scale/faults.test.ts). `next start`
// logs such rejections and goes on; the worker does the same for connection errors only
// (the pool reconnects by itself). Anything else still ends the process.
process.on("unhandledRejection", (reason) => {
  if (isDatabaseUnavailable(reason)) {
    log.error({ err: errorField(reason) }, "database connection lost outside a query (the pool reconnects)");
    return;
  }
  throw reason;
});

const database = await getDatabase();
const workers = await startJobWorkers(database);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "worker shutting down");
  try {
    await workers.stop({ timeoutMs: 20_000 });
    await database.close();
  } catch (error) {
    log.error({ err: errorField(error) }, "unclean worker shutdown");
    process.exit(1);
  }
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));

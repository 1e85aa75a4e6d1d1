// `npm run jobs -- <command>`: the operator's view of the job queue.
//   stats              jobs per queue and state
//   list               dead jobs (out of attempts), newest first, with their last error
//   retry <job id>     one more attempt for a dead job, now (a dead e-mail goes back to queued)
//   discard <job id>   deletes a job for good
//   run                runs every job that is due now in this process, then exits
import nextEnv from "@next/env";

nextEnv.loadEnvConfig(process.cwd());

const { getDatabase } = await import("@/db");
const { countJobs, discardJob, listDeadJobs, retryDeadJob } = await import("@/lib/jobs/admin");
const { runDueJobs } = await import("@/lib/jobs/drain");

const [command = "stats", id] = process.argv.slice(2);
const database = await getDatabase();
const db = database.db;
let status = 0;

try {
  if (command === "stats") {
    console.table(await countJobs(db));
  } else if (command === "list") {
    const dead = await listDeadJobs(db);
    if (dead.length === 0) console.log("No dead jobs.");
    for (const job of dead) {
      console.log(`${job.id}  ${job.queue}  ${job.attempts} attempts  ${job.completedOn?.toISOString() ?? ""}`);
      console.log(`    data: ${JSON.stringify(job.data)}`);
      if (job.error) console.log(`    last error: ${job.error}`);
    }
  } else if ((command === "retry" || command === "discard") && id) {
    const done = command === "retry" ? await retryDeadJob(db, id) : await discardJob(db, id);
    console.log(done ? `${command === "retry" ? "Retrying" : "Discarded"} ${id}.` : `No ${command === "retry" ? "dead " : ""}job ${id}.`);
    status = done ? 0 : 1;
  } else if (command === "run") {
    console.log(await runDueJobs(db));
  } else {
    console.error("Usage: npm run jobs -- stats | list | retry <job id> | discard <job id> | run");
    status = 2;
  }
} finally {
  await database.close();
}
process.exit(status);

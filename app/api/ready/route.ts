import { getDatabase } from "@/db";
import { checkReadiness } from "@/lib/jobs/health";

export const dynamic = "force-dynamic";

/** Readiness: 200 when the database and the job queue answer, 503 (with what is wrong) otherwise or while shutting down. */
export async function GET(): Promise<Response> {
  const readiness = await checkReadiness(getDatabase);
  return Response.json(
    { status: readiness.ready ? "ready" : "not ready", checks: readiness.checks },
    { status: readiness.ready ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}

import { getDb } from "@/db";
import { exportActivitiesCsv } from "@/lib/activity/export";
import { activityFiltersFromQuery } from "@/lib/activity/filters";
import { isAppError } from "@/lib/core/errors";
import { getCurrentUser } from "@/lib/next/session";

export const dynamic = "force-dynamic";

/** The filtered stream as a CSV download, streamed as it is read (COPY on PostgreSQL, batches on PGlite). */
export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  const user = await getCurrentUser();
  if (!user) return new Response("Sign in to continue.", { status: 401 });
  const orgName = decodeURIComponent((await params).org);
  const query = new URL(request.url).searchParams;
  const filters = activityFiltersFromQuery(query);
  let rows: AsyncGenerator<Uint8Array>;
  try {
    rows = await exportActivitiesCsv(await getDb(), user.id, { name: orgName }, filters);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return new Response(error.message, { status: 404 });
    // A role without activity.export (members, viewers): who may export, as the REST API says it.
    if (isAppError(error) && error.code === "forbidden") {
      return Response.json(
        { error: { code: "forbidden", message: error.message } },
        { status: 403, headers: { "Cache-Control": "no-store" } },
      );
    }
    throw error;
  }
  const body = new ReadableStream<Uint8Array>({
    // Pull-based: the next chunk is read only when the client has taken the last one
    // (on PostgreSQL the COPY's socket is paused meanwhile).
    async pull(controller) {
      const { value, done } = await rows.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${orgName}-activity-${stamp}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}

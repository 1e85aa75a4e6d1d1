import { getDb } from "@/db";
import { activityFiltersFromQuery } from "@/lib/activity/filters";
import { listActivityViews } from "@/lib/activity/view";
import { isAppError } from "@/lib/core/errors";
import { getCurrentUser } from "@/lib/next/session";
import { findRenamedOrg } from "@/lib/orgs/organizations";

export const dynamic = "force-dynamic";

/** JSON pages of the activity stream for the timeline (infinite scroll and live refresh). */
export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: { code: "unauthorized", message: "Sign in to continue." } }, { status: 401 });
  const orgName = decodeURIComponent((await params).org);
  const query = new URL(request.url).searchParams;
  const filters = activityFiltersFromQuery(query);
  try {
    const db = await getDb();
    const page = await listActivityViews(db, user.id, { name: orgName }, { ...filters, cursor: query.get("cursor") ?? undefined });
    return Response.json(page, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") {
      // A tab opened before a rename keeps following the org under its new name.
      const renamed = await findRenamedOrg(await getDb(), user.id, orgName);
      // A relative Location: request.url may name another host than the browser used.
      if (renamed)
        return new Response(null, { status: 307, headers: { Location: `/orgs/${renamed}/activity/feed${new URL(request.url).search}` } });
      return Response.json({ error: { code: "not_found", message: error.message } }, { status: 404 });
    }
    throw error;
  }
}

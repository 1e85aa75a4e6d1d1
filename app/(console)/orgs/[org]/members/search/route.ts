import { getDb } from "@/db";
import { isAppError } from "@/lib/core/errors";
import { getCurrentUser } from "@/lib/next/session";
import { searchMembers } from "@/lib/orgs/members";

export const dynamic = "force-dynamic";

/** Members matching `q`, as JSON: the activity page's actor search (lib/ checks the membership). */
export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: { code: "unauthorized", message: "Sign in to continue." } }, { status: 401 });
  const orgName = decodeURIComponent((await params).org);
  const query = new URL(request.url).searchParams.get("q") ?? "";
  try {
    const members = await searchMembers(await getDb(), user.id, { name: orgName }, { query });
    return Response.json({ members }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found")
      return Response.json({ error: { code: "not_found", message: error.message } }, { status: 404 });
    throw error;
  }
}

import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-dynamic";

/** Public: the description of the API, no token needed. */
export function GET() {
  return Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } });
}

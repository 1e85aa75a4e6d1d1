import { createAppEndpoint, listAppsEndpoint } from "@/lib/api/endpoints/apps";
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listAppsEndpoint);
export const POST = apiRoute(createAppEndpoint);

import { deleteAppEndpoint, getAppEndpoint, renameAppEndpoint } from "@/lib/api/endpoints/apps";
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getAppEndpoint);
export const PATCH = apiRoute(renameAppEndpoint);
export const DELETE = apiRoute(deleteAppEndpoint);

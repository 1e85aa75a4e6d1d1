import { listActivitiesEndpoint } from "@/lib/api/endpoints/activities";
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listActivitiesEndpoint);

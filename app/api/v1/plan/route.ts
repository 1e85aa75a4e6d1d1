import { getPlanEndpoint } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getPlanEndpoint);

import { getOrganizationEndpoint } from "@/lib/api/endpoints/organization";
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getOrganizationEndpoint);

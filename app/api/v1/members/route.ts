import { listMembersEndpoint } from "@/lib/api/endpoints/members";
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listMembersEndpoint);

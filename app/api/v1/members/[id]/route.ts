import { changeMemberRoleEndpoint, removeMemberEndpoint } from "@/lib/api/endpoints/members";
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const PATCH = apiRoute(changeMemberRoleEndpoint);
export const DELETE = apiRoute(removeMemberEndpoint);

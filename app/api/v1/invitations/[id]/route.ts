import { removeInvitationEndpoint } from "@/lib/api/endpoints/invitations";
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const DELETE = apiRoute(removeInvitationEndpoint);

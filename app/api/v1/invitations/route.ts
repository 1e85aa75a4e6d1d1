import { inviteMembersEndpoint, listInvitationsEndpoint } from "@/lib/api/endpoints/invitations";
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listInvitationsEndpoint);
export const POST = apiRoute(inviteMembersEndpoint);

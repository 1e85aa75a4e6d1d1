import { deleteSecretEndpoint, revealSecretEndpoint, updateSecretEndpoint } from "@/lib/api/endpoints/secrets";
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(revealSecretEndpoint);
export const PATCH = apiRoute(updateSecretEndpoint);
export const DELETE = apiRoute(deleteSecretEndpoint);

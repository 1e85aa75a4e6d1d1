import { createSecretEndpoint, listSecretsEndpoint } from "@/lib/api/endpoints/secrets";
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listSecretsEndpoint);
export const POST = apiRoute(createSecretEndpoint);

import { getBillingEndpoint } from "@/lib/api/endpoints/billing";
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getBillingEndpoint);

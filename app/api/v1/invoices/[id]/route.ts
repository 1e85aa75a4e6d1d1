import { getInvoiceEndpoint } from "@/lib/api/endpoints/invoices";
import { apiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getInvoiceEndpoint);

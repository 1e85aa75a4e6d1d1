import "server-only";

import { getDb } from "@/db";

import type { AnyEndpoint } from "./endpoint";
import { handleApi } from "./handle";

type RouteContext = { params: Promise<Record<string, string>> };

/** A route handler for one endpoint: the app's database, the request, the route's `[id]`. */
export function apiRoute(endpoint: AnyEndpoint) {
  const route = async (request: Request, context: RouteContext): Promise<Response> =>
    handleApi(await getDb(), request, endpoint, await context.params);
  // Kept on the handler so a test can check each route file serves the endpoint the document describes.
  return Object.assign(route, { endpoint });
}

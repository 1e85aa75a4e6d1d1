import { errorField, log } from "@/lib/core/log";

import "server-only";

import type { Db } from "@/db";
import { authenticateApiToken, type ApiContext } from "@/lib/api-tokens/api-tokens";
import { clientIpFrom } from "@/lib/core/client-ip";
import { isAppError, isDatabaseUnavailable } from "@/lib/core/errors";
import { hitRateLimit } from "@/lib/core/rate-limit";

import { declaresTooLarge, MAX_BODY_BYTES } from "./body";
import type { AnyEndpoint } from "./endpoint";
import { apiError, appErrorResponse, NO_STORE, rateLimited, unauthorized } from "./errors";
import { parseInput, tooLarge } from "./input";

/** Requests one API token may make per window; shared by every instance (counted in Postgres). */
export const API_RATE_LIMIT = { limit: 600, windowSeconds: 60 } as const;

export interface HandleApiOptions {
  rateLimit?: { limit: number; windowSeconds: number };
  maxBodyBytes?: number;
}

const clientIp = (request: Request) => clientIpFrom(request.headers);

function reply(endpoint: AnyEndpoint, result: unknown): Response {
  if (!endpoint.response) return new Response(null, { status: 204, headers: NO_STORE });
  // Parsing the output is the allow-list: a field the schema does not name never leaves.
  const body = endpoint.response.parse(result);
  const headers: Record<string, string> = { ...NO_STORE };
  if (endpoint.location) headers.Location = `/api/v1${endpoint.location(body as never)}`;
  return Response.json(body, { status: endpoint.status ?? 200, headers });
}

/**
 * The whole HTTP side of one API call: body size, token, per-token rate limit,
 * input parsing, the endpoint's handler, and the mapping of its errors. Route
 * files only pass the database, the request and the route parameters.
 */
export async function handleApi(
  db: Db,
  request: Request,
  endpoint: AnyEndpoint,
  routeParams: Record<string, string> = {},
  options: HandleApiOptions = {},
): Promise<Response> {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  if (declaresTooLarge(request, maxBodyBytes)) return tooLarge(maxBodyBytes);
  // Also refuses HEAD, which Next would route to GET: reading a secret must return what it records.
  if (request.method !== endpoint.method) {
    return apiError(405, "method_not_allowed", `Use ${endpoint.method} for this endpoint.`, { headers: { Allow: endpoint.method } });
  }
  let ctx: ApiContext | undefined;
  try {
    ctx = await authenticateApiToken(db, request.headers.get("authorization"), {
      ip: clientIp(request),
      userAgent: request.headers.get("user-agent"),
    });
    if (!ctx) return unauthorized();
    const { limit, windowSeconds } = options.rateLimit ?? API_RATE_LIMIT;
    const hit = await hitRateLimit(db, `api:token:${ctx.actor.tokenId}`, limit, windowSeconds);
    if (!hit.allowed) return rateLimited(hit.retryAfterSeconds);
    const parsed = await parseInput(request, endpoint, routeParams, maxBodyBytes);
    if (!parsed.ok) return parsed.response;
    return reply(endpoint, await endpoint.handler(db, ctx, parsed.input as never));
  } catch (error) {
    if (isAppError(error)) return appErrorResponse(error);
    // The token id identifies the caller in the log; the token itself is never written anywhere.
    log.error(
      {
        err: errorField(error),
        requestId: request.headers.get("x-request-id"),
        method: request.method,
        path: new URL(request.url).pathname,
        apiTokenId: ctx?.actor.tokenId,
      },
      "api request failed",
    );
    // The database restarting is a moment to wait, not a fault of ours to report: 503 with Retry-After.
    if (isDatabaseUnavailable(error)) {
      return apiError(503, "unavailable", "The service is briefly unavailable. Try again in a few seconds.", {
        headers: { "Retry-After": "5" },
      });
    }
    return apiError(500, "internal", "Something went wrong on our side. Try again later.");
  }
}

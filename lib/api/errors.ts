import "server-only";

import { z } from "zod";

import type { AppError } from "@/lib/core/errors";

/** Every error the REST API answers with has this one shape. */
export const apiErrorCodes = [
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "validation",
  "conflict",
  "limit_reached",
  "rate_limited",
  "payload_too_large",
  "unavailable",
  "internal",
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(apiErrorCodes),
      message: z.string().meta({ description: "A sentence meant for a person." }),
      fields: z.record(z.string(), z.array(z.string())).optional().meta({
        description: "Validation only: messages per input field (`name`, `emails`, `cursor`…); `body` when the body as a whole is wrong.",
      }),
    }),
  })
  .meta({ id: "Error" });

export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

/** Nothing the API returns may be cached: values of secrets travel through it. */
export const NO_STORE = { "Cache-Control": "no-store" } as const;

export function apiError(
  status: number,
  code: ApiErrorCode,
  message: string,
  extra: { fields?: Record<string, string[]>; headers?: Record<string, string> } = {},
): Response {
  const body: ApiErrorBody = { error: { code, message, ...(extra.fields ? { fields: extra.fields } : {}) } };
  return Response.json(body, { status, headers: { ...NO_STORE, ...extra.headers } });
}

/**
 * One answer for every failed authentication (missing, malformed, unknown,
 * expired or inactive token), so a caller cannot tell which it was.
 */
export function unauthorized(): Response {
  return apiError(401, "unauthorized", "Send a valid API token: Authorization: Bearer oc_…", { headers: { "WWW-Authenticate": "Bearer" } });
}

export function rateLimited(
  retryAfterSeconds: number,
  message = "Too many requests with this API token. Slow down and retry later.",
): Response {
  return apiError(429, "rate_limited", message, { headers: { "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds))) } });
}

// AppError("rate_limited") carries no wait time: resending an invitation waits a
// minute, the daily invitation limit longer. A minute is a safe first retry.
const APP_RATE_LIMIT_RETRY_SECONDS = 60;

/** The HTTP answer to an expected failure of a domain function. */
export function appErrorResponse(error: AppError): Response {
  switch (error.code) {
    case "not_found":
      return apiError(404, "not_found", error.message);
    case "validation":
      return apiError(422, "validation", error.message, { fields: error.fieldErrors });
    case "conflict":
    case "limit_reached":
      // A taken name says which field: `{ name: [...] }`.
      return apiError(409, error.code, error.message, Object.keys(error.fieldErrors).length ? { fields: error.fieldErrors } : {});
    case "rate_limited":
      return rateLimited(APP_RATE_LIMIT_RETRY_SECONDS, error.message);
    case "forbidden":
      return apiError(403, "forbidden", error.message);
    case "unauthorized":
      return unauthorized();
    case "unavailable":
      return apiError(503, "unavailable", error.message);
  }
}

/** Zod issues as `fields`: dotted paths (`emails.3`), `body` for the body as a whole. */
export function fieldsOf(error: z.ZodError, root = "body"): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : root;
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

/** Any path under /api/v1 that is not an endpoint (the OpenAPI document lists them all). */
export function unknownEndpoint(): Response {
  return apiError(404, "not_found", "No such endpoint. The endpoints are listed in /api/v1/openapi.json.");
}

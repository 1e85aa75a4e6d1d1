import "server-only";

import { z } from "zod";
import {
  createDocument,
  type CreateDocumentOptions,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from "zod-openapi";

import { MAX_BODY_BYTES } from "./body";
import type { AnyEndpoint } from "./endpoint";
import { API_ENDPOINTS } from "./endpoints/registry";
import { apiErrorSchema } from "./errors";
import { API_RATE_LIMIT } from "./handle";

const errorContent = { "application/json": { schema: apiErrorSchema } };

const errorResponse = (id: string, description: string, headers?: ZodOpenApiResponseObject["headers"]): ZodOpenApiResponseObject => ({
  id,
  description,
  content: errorContent,
  ...(headers ? { headers } : {}),
});

const retryAfter = z.object({ "Retry-After": z.number().int().meta({ description: "Seconds to wait before retrying." }) });

const ERRORS = {
  401: errorResponse(
    "Unauthorized",
    "No valid token: missing, malformed, unknown, expired, or its owner is no longer a member. Always the same body.",
    z.object({ "WWW-Authenticate": z.string().meta({ example: "Bearer" }) }),
  ),
  403: errorResponse(
    "Forbidden",
    "The token acts with its creator's current role in the organization, and that role may not do this (e.g. a viewer's token writing); or the organization requires two-factor authentication and the token's creator has not turned it on. The message says why.",
  ),
  404: errorResponse("NotFound", "Nothing with this id in the token's organization."),
  409: errorResponse(
    "Conflict",
    "Refused by a rule: a name already taken (`conflict`), the last member, or the plan's limit (`limit_reached`).",
  ),
  413: errorResponse("PayloadTooLarge", `The body is over ${MAX_BODY_BYTES / (1024 * 1024)} MB.`),
  422: errorResponse("ValidationFailed", "The body, query or path is not valid; `fields` says what to fix."),
  429: errorResponse(
    "RateLimited",
    `Over ${API_RATE_LIMIT.limit} requests per ${API_RATE_LIMIT.windowSeconds} s for this token, or a domain limit (resending an invitation too soon, daily invitations).`,
    retryAfter,
  ),
  500: errorResponse("InternalError", "An unexpected failure, logged on the server with the token's id."),
} satisfies Record<number, ZodOpenApiResponseObject>;

function operation(endpoint: AnyEndpoint): ZodOpenApiOperationObject {
  const status = endpoint.response ? String(endpoint.status ?? 200) : "204";
  const success: ZodOpenApiResponseObject = endpoint.response
    ? {
        description: endpoint.responseDescription,
        content: { "application/json": { schema: endpoint.response } },
        ...(endpoint.location ? { headers: z.object({ Location: z.string().meta({ description: "The new resource's URL path." }) }) } : {}),
      }
    : { description: endpoint.responseDescription };
  const failures: (keyof typeof ERRORS)[] = [401, 403, ...(endpoint.errors ?? []), ...(endpoint.body ? [413 as const] : []), 429, 500];
  return {
    operationId: endpoint.operationId,
    summary: endpoint.summary,
    ...(endpoint.description ? { description: endpoint.description } : {}),
    tags: [endpoint.tag],
    ...(endpoint.params || endpoint.query
      ? { requestParams: { ...(endpoint.params ? { path: endpoint.params } : {}), ...(endpoint.query ? { query: endpoint.query } : {}) } }
      : {}),
    ...(endpoint.body ? { requestBody: { required: true, content: { "application/json": { schema: endpoint.body } } } } : {}),
    responses: { [status]: success, ...Object.fromEntries(failures.map((code) => [String(code), ERRORS[code]])) },
  };
}

/** Drops what zod adds but a reader does not need: the date-time regex and the safe-integer bounds. */
const trimNoise: NonNullable<CreateDocumentOptions["override"]> = ({ jsonSchema }) => {
  if (jsonSchema.format === "date-time") delete jsonSchema.pattern;
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
};

let cached: ReturnType<typeof createDocument> | undefined;

/**
 * The OpenAPI 3.1 description of /api/v1, generated from the very schemas the
 * endpoints parse their input with and shape their output by.
 */
export function openApiDocument(endpoints: AnyEndpoint[] = API_ENDPOINTS): ReturnType<typeof createDocument> {
  if (endpoints === API_ENDPOINTS && cached) return cached;
  const paths: ZodOpenApiPathsObject = {};
  for (const endpoint of endpoints) {
    paths[endpoint.path] = { ...paths[endpoint.path], [endpoint.method.toLowerCase()]: operation(endpoint) };
  }
  const document = createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Console API",
        version: "1.0.0",
        description:
          "Acts as the token's owner inside the token's organization. Send `Authorization: Bearer oc_…` (create a token in the console: " +
          'Organization settings → API). JSON in and out; errors are `{ "error": { "code", "message", "fields"? } }`.',
      },
      servers: [{ url: "/api/v1" }],
      security: [{ bearerAuth: [] }],
      tags: [
        { name: "Organization" },
        { name: "Billing", description: "Read-only: plans change on the plan page, where a payment may be needed." },
        { name: "Members" },
        { name: "Invitations" },
        { name: "Activity" },
        { name: "Apps" },
        { name: "Secrets", description: "Values are encrypted at rest and returned only by `GET /secrets/{id}`, which is recorded." },
      ],
      paths,
      components: {
        securitySchemes: {
          bearerAuth: {
            type: "http",
            scheme: "bearer",
            bearerFormat: "oc_ followed by 43 base62 characters",
            description: "An API token of the organization.",
          },
        },
      },
    },
    { override: trimNoise },
  );
  if (endpoints === API_ENDPOINTS) cached = document;
  return document;
}

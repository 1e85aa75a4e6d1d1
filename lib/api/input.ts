import "server-only";

import type { z } from "zod";

import { readBodyText } from "./body";
import type { AnyEndpoint } from "./endpoint";
import { apiError, fieldsOf } from "./errors";

export interface ParsedInput {
  params: unknown;
  query: unknown;
  body: unknown;
}

type Parsed = { ok: true; input: ParsedInput } | { ok: false; response: Response };

const invalid = (message: string, fields: Record<string, string[]>): Parsed => ({
  ok: false,
  response: apiError(422, "validation", message, { fields }),
});

/** Unwraps optional/default/nullable to see whether a query field is a list. */
function isArraySchema(schema: z.ZodType | undefined): boolean {
  let current = schema as { def?: { type?: string; innerType?: z.ZodType } } | undefined;
  while (current?.def && ["optional", "default", "nullable", "prefault"].includes(current.def.type ?? ""))
    current = current.def.innerType as typeof current;
  return current?.def?.type === "array";
}

/** Query parameters by the schema's keys: list fields take every occurrence (`type=a&type=b`), others the first. */
function queryObject(search: URLSearchParams, schema: z.ZodObject<z.ZodRawShape, z.core.$ZodObjectConfig>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    if (isArraySchema(field as z.ZodType)) {
      const all = search.getAll(key);
      if (all.length) out[key] = all;
    } else {
      const value = search.get(key);
      if (value !== null) out[key] = value;
    }
  }
  return out;
}

/**
 * Path parameters, query and JSON body, each parsed with the endpoint's own
 * schema; any problem is one 422 with the fields that failed. Path ids are not
 * checked here: a malformed id is simply one that does not exist (404), as the
 * domain says.
 */
export async function parseInput(
  request: Request,
  endpoint: AnyEndpoint,
  routeParams: Record<string, string>,
  maxBodyBytes: number,
): Promise<Parsed> {
  const input: ParsedInput = { params: undefined, query: undefined, body: undefined };
  if (endpoint.params) {
    const parsed = endpoint.params.safeParse(routeParams);
    if (!parsed.success) return invalid("Check the path of the request.", fieldsOf(parsed.error, "path"));
    input.params = parsed.data;
  }
  if (endpoint.query) {
    const parsed = endpoint.query.safeParse(queryObject(new URL(request.url).searchParams, endpoint.query));
    if (!parsed.success) return invalid("Check the query parameters.", fieldsOf(parsed.error, "query"));
    input.query = parsed.data;
  }
  if (endpoint.body) {
    const text = await readBodyText(request, maxBodyBytes);
    if (!text.ok && text.problem === "too_large") return { ok: false, response: tooLarge(maxBodyBytes) };
    if (!text.ok) return invalid("The request body is not valid UTF-8.", { body: ["Send the body as UTF-8 encoded JSON."] });
    let json: unknown;
    try {
      json = JSON.parse(text.text);
    } catch {
      return invalid("The request body is not valid JSON.", {
        body: [text.text.trim() ? "Send a JSON object (Content-Type: application/json)." : "Send a JSON body."],
      });
    }
    const parsed = endpoint.body.safeParse(json);
    if (!parsed.success) return invalid("Check the highlighted fields.", fieldsOf(parsed.error, "body"));
    input.body = parsed.data;
  }
  return { ok: true, input };
}

export function tooLarge(maxBodyBytes: number): Response {
  const limit = maxBodyBytes >= 1024 * 1024 ? `${maxBodyBytes / (1024 * 1024)} MB` : `${maxBodyBytes} bytes`;
  return apiError(413, "payload_too_large", `The request body is over ${limit}.`);
}

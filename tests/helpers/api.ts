import type { Db } from "@/db/client";
import type { Organization } from "@/db/schema";
import { createApiToken } from "@/lib/api-tokens/api-tokens";
import type { AnyEndpoint } from "@/lib/api/endpoint";
import { API_ENDPOINTS } from "@/lib/api/endpoints/registry";
import { handleApi, type HandleApiOptions } from "@/lib/api/handle";

import { actorOf, uniqueIp, type SeededUser } from "./seed";

// The REST API (/api/v1): tokens, and calls through the real wrapper.

/** Creates an API token for `user` in `org` through lib/ (as the settings page does); the plaintext is returned once. */
export function seedApiToken(db: Db, user: Pick<SeededUser, "id" | "name" | "email">, org: Pick<Organization, "name">, name = "ci-deploy") {
  return createApiToken(db, actorOf(user), { org: { name: org.name }, name, expiresIn: "90d" });
}

export interface ApiCall {
  /** `Bearer <token>` is sent when set; `authorization` overrides the header as a whole. */
  token?: string;
  authorization?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (a string, bytes or a stream). */
  body?: BodyInit;
  headers?: Record<string, string>;
  options?: HandleApiOptions;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  text: string;
  // Response bodies are read field by field in tests.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** The endpoint a method and a path under /api/v1 lead to, with its `{id}`, as the route files map them. */
export function findApiEndpoint(method: string, path: string): { endpoint: AnyEndpoint; params: Record<string, string> } {
  for (const endpoint of API_ENDPOINTS) {
    if (endpoint.method !== method) continue;
    const pattern = new RegExp(`^${endpoint.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`);
    const match = pattern.exec(path.split("?")[0]!);
    if (match)
      return { endpoint, params: Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)])) };
  }
  throw new Error(`No API endpoint for ${method} ${path}`);
}

/** A real `Request` to http://localhost:3000/api/v1<path>. */
export function apiRequest(method: string, path: string, call: ApiCall = {}): Request {
  const headers = new Headers({ "user-agent": "api-tests/1.0", "x-forwarded-for": uniqueIp(), ...call.headers });
  if (call.authorization !== undefined) headers.set("authorization", call.authorization);
  else if (call.token) headers.set("authorization", `Bearer ${call.token}`);
  let body = call.body;
  if (call.json !== undefined) {
    body = JSON.stringify(call.json);
    headers.set("content-type", "application/json");
  }
  const init: RequestInit & { duplex?: "half" } = { method, headers, body };
  if (body instanceof ReadableStream) init.duplex = "half";
  return new Request(`http://localhost:3000/api/v1${path}`, init);
}

/** Calls the endpoint at `method path` through handleApi, as the route file would, and reads the answer. */
export async function callApi(db: Db, method: string, path: string, call: ApiCall = {}): Promise<ApiAnswer> {
  const { endpoint, params } = findApiEndpoint(method, path);
  const response = await handleApi(db, apiRequest(method, path, call), endpoint, params, call.options);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined };
}

import "server-only";

import type { z } from "zod";

import type { Db } from "@/db";
import type { ApiContext } from "@/lib/api-tokens/api-tokens";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

type ObjectSchema = z.ZodObject<z.ZodRawShape, z.core.$ZodObjectConfig>;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What the OpenAPI document needs to know about an endpoint. */
export interface EndpointSpec {
  method: HttpMethod;
  /** The path under /api/v1, in OpenAPI form: `/apps/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: "Organization" | "Billing" | "Members" | "Invitations" | "Activity" | "Apps" | "Secrets";
  /** Path parameters, query and JSON body: parsed before the handler runs, documented as they are. */
  params?: ObjectSchema;
  query?: ObjectSchema;
  body?: z.ZodType;
  /** The response body, also the allow-list of what leaves: unknown keys are stripped. None: 204. */
  response?: z.ZodType;
  /** 200 unless said. */
  status?: 200 | 201;
  responseDescription: string;
  /** Failures this endpoint can answer besides 401, 413, 429 and 500. */
  errors?: Array<404 | 409 | 422>;
}

export interface Endpoint<
  P extends ObjectSchema | undefined,
  Q extends ObjectSchema | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType | undefined,
> extends EndpointSpec {
  params?: P;
  query?: Q;
  body?: B;
  response?: R;
  /** A Location header for the created resource. */
  location?: (body: Out<R>) => string;
  /**
   * The work, as a plain function: the token's context (actor and org: never
   * taken from the client) and the parsed input in, the response body out.
   */
  handler: (
    db: Db,
    ctx: ApiContext,
    input: { params: Out<P>; query: Out<Q>; body: Out<B> },
  ) => Promise<R extends z.ZodType ? z.input<R> : void>;
}

/** Any endpoint, as the wrapper and the document generator see it. */
export type AnyEndpoint = EndpointSpec & {
  location?: (body: never) => string;
  handler: (db: Db, ctx: ApiContext, input: never) => Promise<unknown>;
};

/** Identity, for inference: each schema's type flows into the handler's input. */
export function defineEndpoint<
  P extends ObjectSchema | undefined = undefined,
  Q extends ObjectSchema | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
>(endpoint: Endpoint<P, Q, B, R>): Endpoint<P, Q, B, R> {
  return endpoint;
}

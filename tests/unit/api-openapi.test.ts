import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";

import { API_ENDPOINTS } from "@/lib/api/endpoints/registry";
import { openApiDocument } from "@/lib/api/openapi";

const EXPECTED = [
  "GET /organization",
  "GET /plan",
  "GET /billing",
  "GET /billing/usage",
  "GET /invoices",
  "GET /invoices/{id}",
  "GET /members",
  "PATCH /members/{id}",
  "DELETE /members/{id}",
  "GET /invitations",
  "POST /invitations",
  "POST /invitations/{id}/resend",
  "DELETE /invitations/{id}",
  "GET /activities",
  "GET /apps",
  "POST /apps",
  "GET /apps/{id}",
  "PATCH /apps/{id}",
  "DELETE /apps/{id}",
  "GET /secrets",
  "POST /secrets",
  "GET /secrets/{id}",
  "PATCH /secrets/{id}",
  "DELETE /secrets/{id}",
];

const v1 = path.resolve("app/api/v1");
const routeFileOf = (apiPath: string) => path.join(v1, apiPath.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");

describe("openapi.json", () => {
  it("validates as OpenAPI 3.1 with swagger-parser", async () => {
    const document = openApiDocument();
    expect(document.openapi).toBe("3.1.0");
    // validate() dereferences in place: give it a copy.
    const validated = await SwaggerParser.validate(structuredClone(document) as never);
    expect(validated.info.title).toBe("Console API");
  });

  it("lists every endpoint, each with its operation id, bearer security and the error responses", () => {
    const document = openApiDocument();
    const listed = Object.entries(document.paths ?? {}).flatMap(([p, item]) =>
      Object.keys(item ?? {})
        .filter((key) => ["get", "post", "patch", "put", "delete"].includes(key))
        .map((method) => `${method.toUpperCase()} ${p}`),
    );
    expect(listed.sort()).toEqual([...EXPECTED].sort());
    expect(API_ENDPOINTS.map((e) => `${e.method} ${e.path}`).sort()).toEqual([...EXPECTED].sort());
    expect(new Set(API_ENDPOINTS.map((e) => e.operationId)).size).toBe(API_ENDPOINTS.length);

    expect(document.security).toEqual([{ bearerAuth: [] }]);
    expect(document.components?.securitySchemes?.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.components?.schemas?.Error).toMatchObject({ type: "object", required: ["error"] });
    for (const [p, item] of Object.entries(document.paths ?? {})) {
      for (const [method, operation] of Object.entries(item ?? {})) {
        const responses = (operation as { responses: Record<string, unknown> }).responses;
        expect(responses["401"], `${method} ${p}`).toEqual({ $ref: "#/components/responses/Unauthorized" });
        // The token acts with its creator's current role: any call may be refused for it.
        expect(responses["403"], `${method} ${p}`).toEqual({ $ref: "#/components/responses/Forbidden" });
        expect(responses["429"], `${method} ${p}`).toEqual({ $ref: "#/components/responses/RateLimited" });
        if ((operation as { requestBody?: unknown }).requestBody) {
          expect(responses["413"], `${method} ${p}`).toBeDefined();
          expect(responses["422"], `${method} ${p}`).toBeDefined();
        }
        if (p.includes("{id}")) expect(responses["404"], `${method} ${p}`).toBeDefined();
      }
    }
  });

  it("documents no secret value outside the one read that returns it", () => {
    const document = openApiDocument();
    const schemas = document.components?.schemas ?? {};
    expect(Object.keys((schemas.Secret as { properties: object }).properties)).not.toContain("value");
    expect(Object.keys((schemas.SecretWithValue as { properties: object }).properties)).toContain("value");
  });

  it("is served publicly by GET /api/v1/openapi.json", async () => {
    const route = await import("@/app/api/v1/openapi.json/route");
    expect(route.dynamic).toBe("force-dynamic");
    const response = route.GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect((await response.json()).paths["/apps/{id}"].patch.operationId).toBe("renameApp");
  });
});

describe("route files", () => {
  it("serve each endpoint at its documented path and method, force-dynamic", async () => {
    for (const endpoint of API_ENDPOINTS) {
      const file = routeFileOf(endpoint.path);
      expect(existsSync(file), file).toBe(true);
      const mod = (await import(file)) as Record<string, unknown>;
      expect(mod.dynamic, file).toBe("force-dynamic");
      const handler = mod[endpoint.method] as { endpoint?: unknown } | undefined;
      expect(handler, `${endpoint.method} in ${file}`).toBeTypeOf("function");
      expect(handler!.endpoint, `${endpoint.method} ${endpoint.path}`).toBe(endpoint);
    }
  });

  it("export no method the document does not describe", async () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(path.join(dir, entry.name));
        else if (entry.name === "route.ts") files.push(path.join(dir, entry.name));
      }
    };
    walk(v1);
    const documented = new Set(API_ENDPOINTS.map((e) => `${e.method} ${routeFileOf(e.path)}`));
    for (const file of files) {
      if (file.includes("[[...path]]") || file.includes("openapi.json")) continue;
      const mod = (await import(file)) as Record<string, unknown>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        if (mod[method]) expect(documented.has(`${method} ${file}`), `${method} ${path.relative(v1, file)}`).toBe(true);
      }
    }
  });

  it("answer unknown paths under /api/v1 with the API's JSON 404", async () => {
    const route = await import("@/app/api/v1/[[...path]]/route");
    const response = route.GET();
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: expect.stringContaining("openapi.json") } });
  });
});

import { is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterEach, describe, expect, it, vi } from "vitest";

import * as schema from "@/db/schema";
import { apiTokens } from "@/db/schema";
import { newApiTokenSecret } from "@/lib/api-tokens/api-tokens";
import { defineEndpoint } from "@/lib/api/endpoint";
import { listAppsEndpoint } from "@/lib/api/endpoints/apps";
import { revealSecretEndpoint } from "@/lib/api/endpoints/secrets";
import { handleApi } from "@/lib/api/handle";
import { log } from "@/lib/core/log";
import { removeMember } from "@/lib/orgs/members";

import { activitiesOf } from "../helpers/activity";
import { apiRequest, callApi, seedApiToken } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import { awayFromWindowEdge } from "../helpers/rate-limit";
import { actorOf, addMember, seedOrg, seedUser } from "../helpers/seed";

const t = setupTestDatabase();

afterEach(() => {
  vi.restoreAllMocks();
});

async function orgWithToken() {
  const owner = await seedUser(t.db, { name: "Ada Admin" });
  const org = await seedOrg(t.db, owner);
  const token = await seedApiToken(t.db, owner, org, "deploy-bot");
  return { owner, org, token };
}

/** Every row of every table, as text: where a leaked secret would show up. */
async function wholeDatabaseText(): Promise<string> {
  const tables = Object.values(schema).filter((value) => is(value, PgTable));
  const dumps = await Promise.all(tables.map((table) => t.db.select().from(table as PgTable)));
  return JSON.stringify(dumps);
}

describe("API tokens at rest", () => {
  it("the plaintext token is nowhere in the database, before or after it is used", async () => {
    const { org, token } = await orgWithToken();
    const secretPart = token.token.slice("oc_".length);
    expect(token.token).toMatch(/^oc_[0-9A-Za-z]{43}$/);

    // Use it: reads, writes (activity entries with the token's name), a failed call.
    expect((await callApi(t.db, "GET", "/organization", { token: token.token })).status).toBe(200);
    expect((await callApi(t.db, "POST", "/apps", { token: token.token, json: { name: "web" } })).status).toBe(201);
    expect((await callApi(t.db, "POST", "/secrets", { token: token.token, json: { name: "API_KEY", value: "v" } })).status).toBe(201);
    expect((await callApi(t.db, "POST", "/apps", { token: token.token, json: { name: "Bad Name" } })).status).toBe(422);

    const [row] = await t.db
      .select()
      .from(apiTokens)
      .where(sql`${apiTokens.id} = ${token.id}`);
    expect(row!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.hint).toBe(`${token.token.slice(0, 7)}…${token.token.slice(-4)}`);
    expect(row!.lastUsedAt).toBeInstanceOf(Date);

    const everything = await wholeDatabaseText();
    expect(everything).toContain(token.id);
    expect(everything).toContain(org.id);
    expect(everything).not.toContain(token.token);
    expect(everything).not.toContain(secretPart);
    expect(everything).not.toContain(secretPart.slice(0, 20));
  });
});

describe("authentication", () => {
  it("answers 401 with one identical body and WWW-Authenticate for missing, malformed, unknown, expired and inactive tokens", async () => {
    const owner = await seedUser(t.db);
    const leaver = await seedUser(t.db, { name: "Lee Leaver" });
    const org = await seedOrg(t.db, owner);
    await addMember(t.db, leaver.id, org.id);
    const expired = await seedApiToken(t.db, owner, org, "old-token");
    const inactive = await seedApiToken(t.db, leaver, org, "leavers-token");
    const valid = await seedApiToken(t.db, owner, org, "good-token");

    await t.db
      .update(apiTokens)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(sql`${apiTokens.id} = ${expired.id}`);
    await removeMember(t.db, actorOf(owner), { org: { name: org.name }, userId: leaver.id });

    const attempts: Record<string, Parameters<typeof callApi>[3]> = {
      missing: {},
      empty: { authorization: "" },
      "no scheme": { authorization: valid.token },
      "basic scheme": { authorization: `Basic ${Buffer.from(`x:${valid.token}`).toString("base64")}` },
      "too short": { authorization: `Bearer ${valid.token.slice(0, -1)}` },
      "wrong prefix": { authorization: `Bearer xx_${valid.token.slice(3)}` },
      "trailing garbage": { authorization: `Bearer ${valid.token} extra` },
      "bad characters": { authorization: `Bearer ${valid.token.slice(0, -1)}!` },
      unknown: { token: newApiTokenSecret() },
      expired: { token: expired.token },
      "inactive (owner removed)": { token: inactive.token },
    };
    const answers = await Promise.all(
      Object.entries(attempts).map(async ([label, call]) => ({ label, answer: await callApi(t.db, "GET", "/apps", call) })),
    );

    for (const { label, answer } of answers) {
      expect(answer.status, label).toBe(401);
      expect(answer.headers.get("www-authenticate"), label).toBe("Bearer");
      expect(answer.headers.get("cache-control"), label).toBe("no-store");
      expect(answer.text, label).toBe(answers[0]!.answer.text);
    }
    expect(answers[0]!.answer.body).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });

    // Positive control: the valid token of the same org works, also with a lower-case scheme.
    expect((await callApi(t.db, "GET", "/apps", { token: valid.token })).status).toBe(200);
    expect((await callApi(t.db, "GET", "/apps", { authorization: `bearer ${valid.token}` })).status).toBe(200);
  });

  it("a removed member's token works again as soon as they rejoin", async () => {
    const owner = await seedUser(t.db);
    const member = await seedUser(t.db, { name: "Rita Rejoiner" });
    const org = await seedOrg(t.db, owner);
    await addMember(t.db, member.id, org.id);
    const token = await seedApiToken(t.db, member, org, "rita-cli");
    expect((await callApi(t.db, "GET", "/organization", { token: token.token })).status).toBe(200);

    const removed = await callApi(t.db, "DELETE", `/members/${member.id}`, { token: (await seedApiToken(t.db, owner, org)).token });
    expect(removed.status).toBe(204);
    expect((await callApi(t.db, "GET", "/organization", { token: token.token })).status).toBe(401);

    await addMember(t.db, member.id, org.id);
    const again = await callApi(t.db, "GET", "/organization", { token: token.token });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: org.id, name: org.name, memberCount: 2 });
  });

  it("the organization comes from the token, never from the client", async () => {
    const { org, token } = await orgWithToken();
    const other = await orgWithToken();
    const answer = await callApi(t.db, "GET", `/organization?org=${other.org.name}&orgName=${other.org.name}`, {
      token: token.token,
      headers: { "x-org": other.org.name, "x-org-id": other.org.id },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.id).toBe(org.id);
  });
});

describe("request bodies", () => {
  it("refuses a body over 1 MB with 413, by its Content-Length or by the bytes actually sent", async () => {
    const { owner, org, token } = await orgWithToken();
    const big = JSON.stringify({ name: "web", padding: "x".repeat(1024 * 1024) });

    // A declared length over the limit is refused before anything is read (even without a token).
    const declared = await handleApi(
      t.db,
      apiRequest("POST", "/apps", { body: "{}", headers: { "content-length": String(2 * 1024 * 1024) } }),
      listAppsEndpoint,
    );
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: { code: "payload_too_large", message: expect.stringContaining("1 MB") } });

    // No (or a false) Content-Length: counted while reading, whether one chunk or a stream of many.
    const oneChunk = await callApi(t.db, "POST", "/apps", {
      token: token.token,
      body: big,
      headers: { "content-type": "application/json" },
    });
    expect(oneChunk.status).toBe(413);
    const chunks = Array.from({ length: 20 }, () => new TextEncoder().encode("x".repeat(64 * 1024)));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const streamed = await callApi(t.db, "POST", "/secrets", { token: token.token, body: stream, headers: { "content-length": "10" } });
    expect(streamed.status).toBe(413);
    expect(streamed.body.error.code).toBe("payload_too_large");

    // Nothing was created; exactly 1 MB of JSON is still read (and then judged by the schema).
    expect((await callApi(t.db, "GET", "/apps", { token: token.token })).body.data).toEqual([]);
    const padded = JSON.stringify({ name: "web" }).padEnd(1024 * 1024, " ");
    const atLimit = await callApi(t.db, "POST", "/apps", { token: token.token, body: padded });
    expect(atLimit.status).toBe(201);
    expect(atLimit.body).toMatchObject({ name: "web", url: `https://web-${org.name}.apps.example.com`, createdByName: owner.name });
  });

  it("answers 422 with fields for a body that is not JSON, not an object, or has unknown keys", async () => {
    const { token } = await orgWithToken();
    const cases: Array<[string, Parameters<typeof callApi>[3], Record<string, unknown>]> = [
      ["empty body", { body: "" }, { body: ["Send a JSON body."] }],
      ["broken JSON", { body: '{"name": "web"' }, { body: [expect.any(String)] }],
      ["not UTF-8", { body: new Uint8Array([0x7b, 0xff, 0x7d]) }, { body: [expect.any(String)] }],
      ["an array", { json: ["web"] }, { body: [expect.any(String)] }],
      ["a number for the name", { json: { name: 42 } }, { name: [expect.any(String)] }],
      ["an unknown key", { json: { name: "web", orgId: "someone-else" } }, { body: [expect.stringContaining("orgId")] }],
    ];
    for (const [label, call, fields] of cases) {
      const answer = await callApi(t.db, "POST", "/apps", { token: token.token, ...call });
      expect(answer.status, label).toBe(422);
      expect(answer.body, label).toEqual({ error: { code: "validation", message: expect.any(String), fields } });
    }
  });
});

describe("rate limit per token", () => {
  it("answers 429 with Retry-After once a token is over its limit; another token is not affected", async () => {
    await awayFromWindowEdge(3600);
    const { owner, org, token } = await orgWithToken();
    const other = await seedApiToken(t.db, owner, org, "other-token");
    const options = { rateLimit: { limit: 3, windowSeconds: 3600 } };

    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await callApi(t.db, "GET", "/apps", { token: token.token, options })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);

    const limited = await callApi(t.db, "POST", "/apps", { token: token.token, json: { name: "web" }, options });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: { code: "rate_limited", message: expect.any(String) } });
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);

    expect((await callApi(t.db, "GET", "/apps", { token: other.token, options })).status).toBe(200);
    // The refused write did not happen.
    expect((await callApi(t.db, "GET", "/apps", { token: other.token, options })).body.data).toEqual([]);
  });

  it("counts parallel requests exactly", async () => {
    await awayFromWindowEdge(3600);
    const { token } = await orgWithToken();
    const options = { rateLimit: { limit: 10, windowSeconds: 3600 } };
    const answers = await Promise.all(
      Array.from({ length: 16 }, () => callApi(t.db, "GET", "/organization", { token: token.token, options })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(6);
  });
});

describe("unexpected errors", () => {
  it("answer 500 with a generic message and log the token id, never the token", async () => {
    const { token } = await orgWithToken();
    const logged = vi.spyOn(log, "error").mockImplementation(() => {});
    const broken = defineEndpoint({
      method: "GET",
      path: "/broken",
      operationId: "broken",
      tag: "Apps",
      summary: "Fails",
      responseDescription: "Never",
      handler: async () => {
        throw new Error(`database exploded near ${"internal detail"}`);
      },
    });
    const response = await handleApi(t.db, apiRequest("GET", "/broken", { token: token.token }), broken);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "internal", message: expect.any(String) } });
    expect(text).not.toContain("exploded");

    expect(logged).toHaveBeenCalledTimes(1);
    const line = JSON.stringify(logged.mock.calls[0]);
    expect(line).toContain(token.id);
    expect(line).toContain("exploded");
    expect(line).not.toContain(token.token);
    expect(line).not.toContain(token.token.slice(3, 20));
  });

  it("a response the schema does not allow is a 500, not a leak", async () => {
    const { token } = await orgWithToken();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const leaky = defineEndpoint({
      ...listAppsEndpoint,
      // Returns what a careless handler might: a row with a field the schema does not name, and a wrong type.
      handler: async () => ({ data: [{ id: "x", name: 1, valueCiphertext: "v1.abc" }] }) as never,
    });
    const response = await handleApi(t.db, apiRequest("GET", "/apps", { token: token.token }), leaky);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("valueCiphertext");
  });

  it("a route wired to the wrong method refuses instead of acting", async () => {
    const { token } = await orgWithToken();
    const response = await handleApi(
      t.db,
      apiRequest("GET", "/apps", { token: token.token }),
      (await import("@/lib/api/endpoints/apps")).createAppEndpoint,
    );
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect((await callApi(t.db, "GET", "/apps", { token: token.token })).body.data).toEqual([]);
  });

  it("HEAD (which Next routes to GET) does not read a secret: nothing is revealed or recorded", async () => {
    const { org, token } = await orgWithToken();
    const created = await callApi(t.db, "POST", "/secrets", { token: token.token, json: { name: "K", value: "v" } });
    const response = await handleApi(
      t.db,
      apiRequest("HEAD", `/secrets/${created.body.id}`, { token: token.token }),
      revealSecretEndpoint,
      {
        id: created.body.id,
      },
    );
    expect(response.status).toBe(405);
    expect((await activitiesOf(t.db, org.id)).map((entry) => entry.type)).not.toContain("secret.revealed");
  });
});

import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { activities, secrets } from "@/db/schema";
import { describeActivity } from "@/lib/activity/feed";
import { createApp } from "@/lib/apps/apps";
import { installSocketAddressHeader, stampSocketAddress } from "@/lib/core/socket-address";

import { activitiesOf } from "../helpers/activity";
import { callApi, seedApiToken } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import { actorOf, addMember, seedOrg, seedUser, uniqueOrgName } from "../helpers/seed";

const t = setupTestDatabase();

/** The private header the server's hook (instrumentation.ts) writes: the TCP peer of the request. */
function fromSocket(address: string): Record<string, string> {
  installSocketAddressHeader();
  const headers: Record<string, string> = {};
  stampSocketAddress(headers, address);
  return headers;
}

async function orgWithToken(tokenName = "deploy-bot") {
  const owner = await seedUser(t.db, { name: "Ada Admin" });
  const org = await seedOrg(t.db, owner);
  const token = await seedApiToken(t.db, owner, org, tokenName);
  return { owner, org, token, auth: { token: token.token } };
}

describe("GET /organization", () => {
  it("describes the token's org: plan, members, seat limit", async () => {
    const { owner, org, auth } = await orgWithToken();
    await addMember(t.db, (await seedUser(t.db)).id, org.id);
    const answer = await callApi(t.db, "GET", "/organization", auth);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.body).toEqual({
      id: org.id,
      name: org.name,
      plan: "starter",
      memberCount: 2,
      seatLimit: 3,
      createdAt: org.createdAt.toISOString(),
    });
    expect(owner).toBeDefined();
  });
});

describe("/apps", () => {
  it("creates, lists, reads, renames and deletes apps, each with its default URL", async () => {
    const { owner, org, auth } = await orgWithToken();
    const created = await callApi(t.db, "POST", "/apps", { ...auth, json: { name: "web" } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: "web",
      url: `https://web-${org.name}.apps.example.com`,
      createdByName: owner.name,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(created.headers.get("location")).toBe(`/api/v1/apps/${created.body.id}`);
    await callApi(t.db, "POST", "/apps", { ...auth, json: { name: "api" } });

    const list = await callApi(t.db, "GET", "/apps", auth);
    expect(list.body.data.map((app: { name: string }) => app.name)).toEqual(["api", "web"]);

    expect((await callApi(t.db, "GET", `/apps/${created.body.id}`, auth)).body).toEqual(created.body);

    const renamed = await callApi(t.db, "PATCH", `/apps/${created.body.id}`, { ...auth, json: { name: "www" } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: created.body.id, name: "www", url: `https://www-${org.name}.apps.example.com` });

    const deleted = await callApi(t.db, "DELETE", `/apps/${created.body.id}`, auth);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await callApi(t.db, "GET", `/apps/${created.body.id}`, auth)).status).toBe(404);
    expect((await callApi(t.db, "DELETE", `/apps/${created.body.id}`, auth)).status).toBe(404);

    const types = (await activitiesOf(t.db, org.id)).map((entry) => entry.type);
    expect(types).toEqual(["organization.created", "api_token.created", "app.created", "app.created", "app.updated", "app.deleted"]);
  });

  it("answers 422 with the name rule that failed, and 409 for a taken name", async () => {
    const { owner, auth } = await orgWithToken();
    const invalid: Array<[unknown, RegExp]> = [
      ["", /Enter a name/],
      ["My App", /Spaces|lowercase/i],
      ["-web", /start and end/],
      ["wéb", /a–z/],
      ["x".repeat(1001), /at most/],
    ];
    for (const [name, rule] of invalid) {
      const answer = await callApi(t.db, "POST", "/apps", { ...auth, json: { name } });
      expect(answer.status, String(name)).toBe(422);
      expect(answer.body.error.code).toBe("validation");
      expect(answer.body.error.fields.name.join(" "), String(name)).toMatch(rule);
    }
    expect((await callApi(t.db, "POST", "/apps", { ...auth, json: {} })).body.error.fields).toEqual({ name: [expect.any(String)] });

    // In an org with a long name, <app>-<org> must still fit one DNS label (63 characters).
    const longOrg = await seedOrg(t.db, owner, uniqueOrgName("quite-long-organization"));
    const longToken = await seedApiToken(t.db, owner, longOrg);
    const tooLong = await callApi(t.db, "POST", "/apps", { token: longToken.token, json: { name: "a".repeat(63 - longOrg.name.length) } });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.fields.name.join(" ")).toMatch(/63 characters/);
    expect(
      (await callApi(t.db, "POST", "/apps", { token: longToken.token, json: { name: "a".repeat(62 - longOrg.name.length) } })).status,
    ).toBe(201);

    expect((await callApi(t.db, "POST", "/apps", { ...auth, json: { name: "web" } })).status).toBe(201);
    const taken = await callApi(t.db, "POST", "/apps", { ...auth, json: { name: "web" } });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({
      error: { code: "conflict", message: expect.stringContaining("web"), fields: { name: [expect.any(String)] } },
    });
    const other = await callApi(t.db, "POST", "/apps", { ...auth, json: { name: "api" } });
    expect((await callApi(t.db, "PATCH", `/apps/${other.body.id}`, { ...auth, json: { name: "web" } })).status).toBe(409);
    expect((await callApi(t.db, "GET", "/apps", auth)).body.data).toHaveLength(2);
  });
});

describe("/secrets", () => {
  it("stores values encrypted, lists no values, and returns a value only on an explicit, recorded read", async () => {
    const { org, auth, token } = await orgWithToken("secrets-bot");
    const plaintext = `postgres://app:${"p4ss-w0rd-".repeat(3)}@db.internal:5432/app`;

    const created = await callApi(t.db, "POST", "/secrets", { ...auth, json: { name: "DATABASE_URL", value: plaintext } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: "DATABASE_URL",
      createdByName: "Ada Admin",
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(created.headers.get("location")).toBe(`/api/v1/secrets/${created.body.id}`);

    const [row] = await t.db.select().from(secrets).where(eq(secrets.id, created.body.id));
    expect(row!.valueCiphertext).toMatch(/^v1\./);
    expect(row!.valueCiphertext).not.toContain(plaintext);
    expect(row!.valueCiphertext).not.toContain("p4ss-w0rd");
    expect(Buffer.from(row!.valueCiphertext.split(".")[3]!, "base64url").toString("utf8")).not.toContain("p4ss-w0rd");

    const list = await callApi(t.db, "GET", "/secrets", auth);
    expect(list.body.data).toEqual([created.body]);
    expect(list.text).not.toContain("p4ss-w0rd");
    expect(list.text).not.toContain("value");

    const revealsBefore = (await activitiesOf(t.db, org.id)).filter((entry) => entry.type === "secret.revealed");
    expect(revealsBefore).toHaveLength(0);
    const read = await callApi(t.db, "GET", `/secrets/${created.body.id}`, auth);
    expect(read.status).toBe(200);
    expect(read.headers.get("cache-control")).toBe("no-store");
    expect(read.body).toEqual({ ...created.body, value: plaintext });
    const reveals = (await activitiesOf(t.db, org.id)).filter((entry) => entry.type === "secret.revealed");
    expect(reveals).toHaveLength(1);
    expect(reveals[0]).toMatchObject({
      targetId: created.body.id,
      targetLabel: "DATABASE_URL",
      actorTokenId: token.id,
      actorTokenName: "secrets-bot",
    });
    expect(JSON.stringify(await activitiesOf(t.db, org.id))).not.toContain("p4ss-w0rd");

    const updated = await callApi(t.db, "PATCH", `/secrets/${created.body.id}`, { ...auth, json: { value: "new-value" } });
    expect(updated.status).toBe(200);
    expect(updated.text).not.toContain("new-value");
    const renamed = await callApi(t.db, "PATCH", `/secrets/${created.body.id}`, { ...auth, json: { name: "DB_URL" } });
    expect(renamed.body.name).toBe("DB_URL");
    expect((await callApi(t.db, "GET", `/secrets/${created.body.id}`, auth)).body).toMatchObject({ name: "DB_URL", value: "new-value" });

    expect((await callApi(t.db, "DELETE", `/secrets/${created.body.id}`, auth)).status).toBe(204);
    expect((await callApi(t.db, "GET", `/secrets/${created.body.id}`, auth)).status).toBe(404);
  });

  it("answers 422 for invalid names, values and empty updates, and 409 for a taken name", async () => {
    const { auth } = await orgWithToken();
    const cases: Array<[string, string, unknown, string[]]> = [
      ["POST", "/secrets", { name: "1BAD", value: "v" }, ["name"]],
      ["POST", "/secrets", { name: "OK" }, ["value"]],
      ["POST", "/secrets", { name: "OK", value: "x".repeat(65_537) }, ["value"]],
      ["POST", "/secrets", { name: "", value: "" }, ["name", "value"]],
    ];
    for (const [method, path, json, fields] of cases) {
      const answer = await callApi(t.db, method, path, { ...auth, json });
      expect(answer.status, JSON.stringify(json).slice(0, 80)).toBe(422);
      expect(Object.keys(answer.body.error.fields).sort()).toEqual(fields);
    }
    const first = await callApi(t.db, "POST", "/secrets", { ...auth, json: { name: "TOKEN", value: "a" } });
    const empty = await callApi(t.db, "PATCH", `/secrets/${first.body.id}`, { ...auth, json: {} });
    expect(empty.status).toBe(422);
    expect(empty.body.error.message).toMatch(/new name or a new value/);
    expect((await callApi(t.db, "POST", "/secrets", { ...auth, json: { name: "TOKEN", value: "b" } })).status).toBe(409);
    expect((await callApi(t.db, "GET", `/secrets/${first.body.id}`, auth)).body.value).toBe("a");
  });
});

describe("GET /activities", () => {
  it("entries made through the API carry the token's name, and the sentence says so", async () => {
    const { owner, org, auth, token } = await orgWithToken("release-pipeline");
    await callApi(t.db, "POST", "/apps", {
      ...auth,
      json: { name: "web" },
      headers: { "user-agent": "release-cli/2.1", ...fromSocket("203.0.113.7") },
    });
    await createApp(t.db, actorOf(owner), { org: { name: org.name }, name: "console-made" });

    const [viaApi] = (await activitiesOf(t.db, org.id)).filter((entry) => entry.targetLabel === "web");
    expect(viaApi).toMatchObject({
      type: "app.created",
      actorUserId: owner.id,
      actorTokenId: token.id,
      actorTokenName: "release-pipeline",
      ip: "203.0.113.7",
      userAgent: "release-cli/2.1",
    });
    expect(describeActivity(viaApi!)).toBe("Created an app using API token release-pipeline");

    const feed = await callApi(t.db, "GET", "/activities", auth);
    expect(feed.status).toBe(200);
    const [newest, second] = feed.body.data;
    expect(newest).toMatchObject({ type: "app.created", targetLabel: "console-made", actorTokenName: null, sentence: "Created an app" });
    expect(second).toEqual({
      id: viaApi!.id,
      type: "app.created",
      object: "app",
      colour: "green",
      sentence: "Created an app using API token release-pipeline",
      actorName: owner.name,
      actorEmail: owner.email,
      actorUserId: owner.id,
      actorTokenId: token.id,
      actorTokenName: "release-pipeline",
      targetType: "app",
      targetId: expect.any(String),
      targetLabel: "web",
      targetHref: `/orgs/${org.name}/apps`,
      metadata: {},
      ip: "203.0.113.7",
      userAgent: "release-cli/2.1",
      createdAt: viaApi!.createdAt.toISOString(),
    });
    expect(feed.body.nextCursor).toBeNull();
  });

  it("pages with a cursor and filters by type (repeatable), actor and days, like the page", async () => {
    const { owner, org, auth } = await orgWithToken();
    const other = await seedUser(t.db, { name: "Olli Other" });
    await addMember(t.db, other.id, org.id);
    for (const name of ["a1", "a2", "a3", "a4", "a5"]) await createApp(t.db, actorOf(owner), { org: { name: org.name }, name });
    await createApp(t.db, actorOf(other), { org: { name: org.name }, name: "by-other" });
    await callApi(t.db, "POST", "/secrets", { ...auth, json: { name: "S", value: "v" } });
    const all = (await activitiesOf(t.db, org.id)).reverse();

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/activities?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page = await callApi(t.db, "GET", query, auth);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.data.map((entry: { id: number }) => entry.id));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(all.map((entry) => entry.id));

    const types = await callApi(t.db, "GET", "/activities?type=secret.created&type=organization.created", auth);
    expect(types.body.data.map((entry: { type: string }) => entry.type)).toEqual(["secret.created", "organization.created"]);

    const byOther = await callApi(t.db, "GET", `/activities?actor=${other.id}`, auth);
    expect(byOther.body.data.map((entry: { targetLabel: string }) => entry.targetLabel)).toEqual(["by-other"]);

    const today = new Date().toISOString().slice(0, 10);
    expect((await callApi(t.db, "GET", `/activities?from=${today}&to=${today}`, auth)).body.data).toHaveLength(all.length);
    expect((await callApi(t.db, "GET", "/activities?to=2000-01-01", auth)).body.data).toEqual([]);
    expect((await callApi(t.db, "GET", "/activities?from=2999-01-01", auth)).body.data).toEqual([]);
  });

  it("answers 422 for filters it cannot read, instead of silently dropping them", async () => {
    const { auth } = await orgWithToken();
    const cases: Array<[string, string]> = [
      ["type=app.exploded", "type.0"],
      ["actor=someone", "actor"],
      ["from=28/11/2026", "from"],
      ["to=2026-02-30", "to"],
      ["from=0000-01-01", "from"],
      ["from=2026-05-02&to=2026-05-01", "to"],
      ["cursor=not-a-cursor!", "cursor"],
      ["limit=0", "limit"],
      ["limit=500", "limit"],
      ["limit=ten", "limit"],
    ];
    for (const [query, field] of cases) {
      const answer = await callApi(t.db, "GET", `/activities?${query}`, auth);
      expect(answer.status, query).toBe(422);
      expect(Object.keys(answer.body.error.fields), query).toEqual([field]);
    }
  });
});

describe("entries written through the API", () => {
  it("record IP and user agent from the request, and are append-only like every entry", async () => {
    const { org, auth } = await orgWithToken();
    const headers = { "x-forwarded-for": "198.51.100.1, 203.0.113.9", "x-real-ip": "198.51.100.1", ...fromSocket("192.0.2.10") };
    await callApi(t.db, "POST", "/apps", { ...auth, json: { name: "web" }, headers });
    const [entry] = (await activitiesOf(t.db, org.id)).filter((e) => e.type === "app.created");
    // The socket's peer, as the pages take it: with no trusted proxy (TRUSTED_PROXY_HOPS=0)
    // the forwarded headers are the client's own words and are ignored.
    expect(entry!.ip).toBe("192.0.2.10");
    await expect(t.db.execute(sql`update activities set actor_token_name = 'forged' where id = ${entry!.id}`)).rejects.toThrow();
    const [again] = await t.db.select().from(activities).where(eq(activities.id, entry!.id));
    expect(again!.actorTokenName).toBe("deploy-bot");
  });
});

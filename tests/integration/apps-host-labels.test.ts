import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { asc, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { apps, organizations } from "@/db/schema";
import { createApp, renameApp } from "@/lib/apps/apps";
import { AppError } from "@/lib/core/errors";
import { createOrganization, renameOrganization } from "@/lib/orgs/organizations";

import { callApi, seedApiToken } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { actorOf, seedUser } from "../helpers/seed";

/*
 * An app's default address is `<app>-<org>.<APPS_DOMAIN>`, which alone is
 * ambiguous: app `api` in org `shop-prod` and app `api-shop` in org `prod` would
 * share `api-shop-prod`. The composed label is kept per app under a global unique
 * index, and every write that changes one (app create/rename, org rename) checks it.
 */
const t = setupTestDatabase();

/** A short random word: org names built from it never meet another test's. */
const word = () => `p${randomBytes(4).toString("hex")}`;

/** A fresh owner (5 orgs at most each) and an org of that name. */
async function orgNamed(name: string) {
  const owner = await seedUser(t.db);
  const actor = actorOf(owner);
  const org = await createOrganization(t.db, actor, { name });
  return { owner, actor, org };
}

const appsOf = (orgId: string) =>
  t.db.select({ name: apps.name, hostLabel: apps.hostLabel }).from(apps).where(eq(apps.orgId, orgId)).orderBy(asc(apps.name));

describe("default app addresses are unique across organizations", () => {
  it("refuses an app whose address another org's app already has, naming the address", async () => {
    const x = word();
    const shop = await orgNamed(`shop-${x}`);
    const prod = await orgNamed(x);
    const api = await createApp(t.db, shop.actor, { org: { name: shop.org.name }, name: "api" });
    expect(api.hostLabel).toBe(`api-shop-${x}`);

    const error = await expectAppError(createApp(t.db, prod.actor, { org: { name: prod.org.name }, name: "api-shop" }), "conflict");
    expect(error.message).toContain(`api-shop-${x}.apps.example.com`);
    expect(error.fieldErrors.name).toEqual([expect.stringContaining(`api-shop-${x}`)]);
    expect(await appsOf(prod.org.id)).toEqual([]);
    // Positive control: another name in the same org is fine.
    await expect(createApp(t.db, prod.actor, { org: { name: prod.org.name }, name: "api-store" })).resolves.toMatchObject({
      hostLabel: `api-store-${x}`,
    });
  });

  it("refuses renaming an app onto another org's address, and keeps its name", async () => {
    const x = word();
    const shop = await orgNamed(`shop-${x}`);
    const prod = await orgNamed(x);
    await createApp(t.db, shop.actor, { org: { name: shop.org.name }, name: "api" });
    const web = await createApp(t.db, prod.actor, { org: { name: prod.org.name }, name: "web" });

    const error = await expectAppError(
      renameApp(t.db, prod.actor, { org: { name: prod.org.name }, appId: web.id, name: "api-shop" }),
      "conflict",
    );
    expect(error.message).toContain(`api-shop-${x}`);
    expect(await appsOf(prod.org.id)).toEqual([{ name: "web", hostLabel: `web-${x}` }]);
    await expect(renameApp(t.db, prod.actor, { org: { name: prod.org.name }, appId: web.id, name: "www" })).resolves.toMatchObject({
      hostLabel: `www-${x}`,
    });
  });

  it("keeps the same-org duplicate answer: an app of that name already exists", async () => {
    const { actor, org } = await orgNamed(word());
    await createApp(t.db, actor, { org: { name: org.name }, name: "web" });
    const error = await expectAppError(createApp(t.db, actor, { org: { name: org.name }, name: "web" }), "conflict");
    expect(error.message).toBe("An app named web already exists.");
  });

  it("an org rename moves every app's address in the same transaction", async () => {
    const before = word();
    const after = word();
    const { actor, org } = await orgNamed(before);
    for (const name of ["api", "web"]) await createApp(t.db, actor, { org: { name: org.name }, name });
    await renameOrganization(t.db, actor, { org: { name: org.name }, newName: after });
    expect(await appsOf(org.id)).toEqual([
      { name: "api", hostLabel: `api-${after}` },
      { name: "web", hostLabel: `web-${after}` },
    ]);
  });

  it("refuses an org rename that would give one of its apps another org's address, naming that app, and changes nothing", async () => {
    const x = word();
    const other = await orgNamed(`shop-${x}`);
    await createApp(t.db, other.actor, { org: { name: other.org.name }, name: "api" });
    const mine = await orgNamed(word());
    for (const name of ["api-shop", "web"]) await createApp(t.db, mine.actor, { org: { name: mine.org.name }, name });
    const before = await appsOf(mine.org.id);

    const error = await expectAppError(renameOrganization(t.db, mine.actor, { org: { name: mine.org.name }, newName: x }), "conflict");
    expect(error.message).toContain("api-shop");
    expect(error.message).toContain(`api-shop-${x}.apps.example.com`);
    expect(error.fieldErrors.name).toEqual([error.message]);
    expect((await t.db.select().from(organizations).where(eq(organizations.id, mine.org.id)))[0]!.name).toBe(mine.org.name);
    expect(await appsOf(mine.org.id)).toEqual(before);
  });

  it("refuses an org rename that would push an app's address past 63 characters, naming the app", async () => {
    const { actor, org } = await orgNamed(word());
    const long = "a".repeat(30);
    await createApp(t.db, actor, { org: { name: org.name }, name: long });
    const newName = `${word()}-${"b".repeat(25)}`; // 35 characters: 30 + 1 + 35 > 63
    const error = await expectAppError(renameOrganization(t.db, actor, { org: { name: org.name }, newName }), "validation");
    expect(error.message).toContain(long);
    expect(error.message).toContain("63");
    expect(error.fieldErrors.name).toEqual([error.message]);
    expect((await t.db.select().from(organizations).where(eq(organizations.id, org.id)))[0]!.name).toBe(org.name);
  });

  it("an org rename whose new labels swap with its own old ones goes through", async () => {
    // Org `c` with apps `a` (a-c) and `a-b` (a-b-c), renamed to `b-c`: app `a` takes a-b-c,
    // which app `a-b` holds until the same statement moves it to a-b-b-c.
    const c = word();
    const { actor, org } = await orgNamed(c);
    for (const name of ["a", "a-b"]) await createApp(t.db, actor, { org: { name: org.name }, name });
    await renameOrganization(t.db, actor, { org: { name: org.name }, newName: `b-${c}` });
    expect(await appsOf(org.id)).toEqual([
      { name: "a", hostLabel: `a-b-${c}` },
      { name: "a-b", hostLabel: `a-b-b-${c}` },
    ]);
  });

  it("the API gives the app's URL from its own address", async () => {
    const { owner, org, actor } = await orgNamed(word());
    await createApp(t.db, actor, { org: { name: org.name }, name: "web" });
    const { token } = await seedApiToken(t.db, owner, org);
    const answer = await callApi(t.db, "GET", "/apps", { token });
    expect(answer.body.data).toEqual([expect.objectContaining({ name: "web", url: `https://web-${org.name}.apps.example.com` })]);
  });
});

describe("two creates racing for one address", () => {
  it("one wins, the other gets the clear conflict message (never a server error)", async () => {
    const x = word();
    const shop = await orgNamed(`shop-${x}`);
    const prod = await orgNamed(x);
    const results = await Promise.allSettled([
      createApp(t.db, shop.actor, { org: { name: shop.org.name }, name: "api" }),
      createApp(t.db, prod.actor, { org: { name: prod.org.name }, name: "api-shop" }),
    ]);
    const won = results.filter((result) => result.status === "fulfilled");
    const lost = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(AppError);
    expect(lost[0]!.reason).toMatchObject({ code: "conflict", message: expect.stringContaining(`api-shop-${x}.apps.example.com`) });
    expect(await t.db.$count(apps, eq(apps.hostLabel, `api-shop-${x}`))).toBe(1);
  });

  it("an org rename racing an app create for one address: one wins, the other gets the clear message", async () => {
    const x = word();
    const shop = await orgNamed(`shop-${x}`);
    const mine = await orgNamed(word());
    await createApp(t.db, mine.actor, { org: { name: mine.org.name }, name: "api-shop" });
    const results = await Promise.allSettled([
      createApp(t.db, shop.actor, { org: { name: shop.org.name }, name: "api" }),
      renameOrganization(t.db, mine.actor, { org: { name: mine.org.name }, newName: x }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((result): result is PromiseRejectedResult => result.status === "rejected")!;
    expect(lost.reason).toMatchObject({ code: "conflict", message: expect.stringContaining(`api-shop-${x}`) });
  });
});

describe("the migration that introduced host labels", () => {
  it("labels existing apps; of two apps with one address the older keeps it; over-long ones get none", async () => {
    const x = word();
    const shop = await orgNamed(`shop-${x}`);
    const prod = await orgNamed(x);
    const long = await orgNamed(`${word()}-${"c".repeat(28)}`);
    // Rows as they were before the migration: no label. The older app of the pair is api-shop in prod.
    const inserted = await t.db
      .insert(apps)
      .values([
        { orgId: shop.org.id, name: "api", createdByName: "x", createdAt: new Date("2026-01-02T00:00:00Z") },
        { orgId: prod.org.id, name: "api-shop", createdByName: "x", createdAt: new Date("2026-01-01T00:00:00Z") },
        { orgId: prod.org.id, name: "web", createdByName: "x", createdAt: new Date("2026-01-03T00:00:00Z") },
        { orgId: long.org.id, name: "d".repeat(30), createdByName: "x", createdAt: new Date("2026-01-03T00:00:00Z") },
      ])
      .returning({ id: apps.id });
    const migration = readFileSync(new URL("../../db/migrations/0011_emails_sealed_body_apps_host_label.sql", import.meta.url), "utf8");
    await t.db.execute(sql.raw(migration.split("--> statement-breakpoint").at(-1)!));

    const rows = await t.db
      .select({ name: apps.name, hostLabel: apps.hostLabel, orgId: apps.orgId })
      .from(apps)
      .where(
        inArray(
          apps.id,
          inserted.map((row) => row.id),
        ),
      )
      .orderBy(asc(apps.createdAt), asc(apps.name));
    expect(rows).toEqual([
      { name: "api-shop", hostLabel: `api-shop-${x}`, orgId: prod.org.id },
      { name: "api", hostLabel: null, orgId: shop.org.id },
      { name: "d".repeat(30), hostLabel: null, orgId: long.org.id },
      { name: "web", hostLabel: `web-${x}`, orgId: prod.org.id },
    ]);
  });
});

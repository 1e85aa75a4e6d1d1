import { count, eq, inArray, notExists } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { memberships, organizations, users } from "@/db/schema";
import { listUserOrganizations } from "@/lib/orgs/memberships";
import { checkOrgName, createOrganization } from "@/lib/orgs/organizations";

import { activitiesOf, activityCountBy } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { actorOf, addMember, membershipCount, seedOrg, seedUser, uniqueOrgName } from "../helpers/seed";

const t = setupTestDatabase();

const LIMIT_MESSAGE = /^You can be a member of at most 5 organizations\. Contact support \(support@example\.com\) to raise this limit\.$/;

async function orgsNamed(names: string[]) {
  return t.db.select().from(organizations).where(inArray(organizations.name, names));
}

async function orgCount(): Promise<number> {
  const [row] = await t.db.select({ value: count() }).from(organizations);
  return row?.value ?? 0;
}

describe("createOrganization: the name", () => {
  it("creates the org with the actor as its only member and lands them in it (positive control)", async () => {
    const user = await seedUser(t.db);
    const name = uniqueOrgName("acme");
    const org = await createOrganization(t.db, actorOf(user), { name });

    expect(org).toMatchObject({ name, plan: "starter" });
    expect(await listUserOrganizations(t.db, user.id)).toEqual([expect.objectContaining({ id: org.id, name })]);
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(1);
    const [row] = await t.db.select({ lastOrgId: users.lastOrgId }).from(users).where(eq(users.id, user.id));
    expect(row?.lastOrgId).toBe(org.id);
  });

  it.each([
    ["empty", "", /Enter a name/],
    ["spaces", "my team", /Spaces are not allowed/],
    ["uppercase", "Acme", /lowercase/],
    ["a double dash", "my--team", /single dashes/],
    ["a leading dash", "-acme", /start and end/],
    ["a trailing dash", "acme-", /start and end/],
    ["40 characters", "b".repeat(40), /at most 39 characters/],
    ["1000 characters", "c".repeat(1000), /at most 39 characters/],
    ["a zero-width space", "ac\u200Bme", /invisible or text-direction/],
    ["an RTL override", "\u202Eemca", /invisible or text-direction/],
    ["a Cyrillic homoglyph", "\u0430cme", /look-alike letters/],
    ["a reserved word", "settings", /"settings" is reserved/],
    ["not a string", 42, /Enter a name/],
  ])("refuses %s with fieldErrors.name and creates nothing", async (_label, name, message) => {
    const user = await seedUser(t.db);
    const before = await orgCount();
    const error = await expectAppError(createOrganization(t.db, actorOf(user), { name }), "validation");

    expect(error.message).toMatch(message);
    expect(error.fieldErrors.name).toEqual([error.message]);
    expect(await orgCount()).toBe(before);
    expect(await membershipCount(t.db, { userId: user.id })).toBe(0);
    expect(await activityCountBy(t.db, user.id)).toBe(0);
  });

  it("accepts a 39-character name (positive control for the length rule)", async () => {
    const user = await seedUser(t.db);
    const name = `${uniqueOrgName("x")}-${"d".repeat(39)}`.slice(0, 39);
    expect(name).toHaveLength(39);
    await expect(createOrganization(t.db, actorOf(user), { name })).resolves.toMatchObject({ name });
  });

  it("refuses the uppercase spelling of a taken name with the lowercase rule", async () => {
    const user = await seedUser(t.db);
    const name = uniqueOrgName("acme");
    await seedOrg(t.db, user, name);

    const error = await expectAppError(createOrganization(t.db, actorOf(user), { name: name.toUpperCase() }), "validation");
    expect(error.fieldErrors.name).toEqual([`Use lowercase letters only, like ${name}.`]);
    expect(await membershipCount(t.db, { userId: user.id })).toBe(1);
  });

  it("refuses a name taken by another org, for its owner and for anyone else", async () => {
    const owner = await seedUser(t.db);
    const other = await seedUser(t.db);
    const name = uniqueOrgName("acme");
    await seedOrg(t.db, owner, name);

    for (const user of [owner, other]) {
      const error = await expectAppError(createOrganization(t.db, actorOf(user), { name }), "conflict");
      expect(error.message).toBe(`The name ${name} is already taken.`);
      expect(error.fieldErrors.name).toEqual([`The name ${name} is already taken. Choose another one.`]);
    }
    expect(await orgsNamed([name])).toHaveLength(1);
    expect(await membershipCount(t.db, { userId: other.id })).toBe(0);
    // Positive control: a free name works for the same user.
    await expect(seedOrg(t.db, other)).resolves.toBeDefined();
  });

  it("two parallel creations of the same name: one org, one conflict", async () => {
    const [alice, bob] = await Promise.all([seedUser(t.db), seedUser(t.db)]);
    const name = uniqueOrgName("race");
    const results = await Promise.allSettled([seedOrg(t.db, alice, name), seedOrg(t.db, bob, name)]);

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [failure] = results.filter((r) => r.status === "rejected");
    expect(failure?.reason).toMatchObject({ code: "conflict", message: `The name ${name} is already taken.` });
    expect(await orgsNamed([name])).toHaveLength(1);
    expect((await membershipCount(t.db, { userId: alice.id })) + (await membershipCount(t.db, { userId: bob.id }))).toBe(1);
  });

  it("checkOrgName answers the form's live hint: free, taken, invalid", async () => {
    const user = await seedUser(t.db);
    const name = await seedOrg(t.db, user).then((org) => org.name);
    expect(await checkOrgName(t.db, uniqueOrgName())).toEqual({ ok: true });
    expect(await checkOrgName(t.db, name)).toEqual({ ok: false, message: `The name ${name} is already taken.` });
    expect(await checkOrgName(t.db, "Acme")).toEqual({ ok: false, message: "Use lowercase letters only, like acme." });
  });
});

describe("createOrganization: the 5-organization limit", () => {
  it("refuses the 6th with limit_reached and the support hint; the first 5 work", async () => {
    const user = await seedUser(t.db);
    for (let i = 0; i < 5; i++) await seedOrg(t.db, user);
    expect(await membershipCount(t.db, { userId: user.id })).toBe(5);

    const before = await orgCount();
    const sixth = uniqueOrgName("sixth");
    const error = await expectAppError(createOrganization(t.db, actorOf(user), { name: sixth }), "limit_reached");
    expect(error.message).toMatch(LIMIT_MESSAGE);
    expect(await orgCount()).toBe(before);
    expect(await orgsNamed([sixth])).toHaveLength(0);
    expect(await membershipCount(t.db, { userId: user.id })).toBe(5);
    // The name was not claimed by the failed attempt: someone else can take it.
    await expect(seedOrg(t.db, await seedUser(t.db), sixth)).resolves.toMatchObject({ name: sixth });
  });

  it("counts joined orgs like created ones", async () => {
    const user = await seedUser(t.db);
    const other = await seedUser(t.db);
    for (let i = 0; i < 3; i++) await seedOrg(t.db, user);
    for (let i = 0; i < 2; i++) await addMember(t.db, user.id, (await seedOrg(t.db, other)).id);
    await expectAppError(seedOrg(t.db, user), "limit_reached");
  });

  it("with users.max_orgs = 6 (support override) the 6th works and the 7th is refused", async () => {
    const user = await seedUser(t.db);
    for (let i = 0; i < 5; i++) await seedOrg(t.db, user);
    await t.db.update(users).set({ maxOrgs: 6 }).where(eq(users.id, user.id));

    await expect(seedOrg(t.db, user)).resolves.toBeDefined();
    expect(await membershipCount(t.db, { userId: user.id })).toBe(6);
    const error = await expectAppError(seedOrg(t.db, user), "limit_reached");
    expect(error.message).toMatch(/at most 6 organizations\. Contact support/);
  });

  it("10 parallel creations by a user with 4 orgs: exactly one org and one membership more, 9 limit_reached", async () => {
    const user = await seedUser(t.db);
    for (let i = 0; i < 4; i++) await seedOrg(t.db, user);
    const before = await orgCount();
    const names = Array.from({ length: 10 }, (_, i) => uniqueOrgName(`par${i}`));

    const results = await Promise.allSettled(names.map((name) => createOrganization(t.db, actorOf(user), { name })));

    const created = results.filter((r) => r.status === "fulfilled");
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(created).toHaveLength(1);
    expect(failed).toHaveLength(9);
    for (const failure of failed)
      expect(failure.reason).toMatchObject({ name: "AppError", code: "limit_reached", message: expect.stringMatching(LIMIT_MESSAGE) });

    expect(await membershipCount(t.db, { userId: user.id })).toBe(5);
    const rows = await orgsNamed(names);
    expect(rows).toHaveLength(1);
    expect(await orgCount()).toBe(before + 1);
    // No org without members anywhere in the database.
    const orphans = await t.db
      .select({ id: organizations.id })
      .from(organizations)
      .where(notExists(t.db.select().from(memberships).where(eq(memberships.orgId, organizations.id))));
    expect(orphans).toEqual([]);
    expect(await activitiesOf(t.db, rows[0]!.id)).toHaveLength(1);
    expect(await activityCountBy(t.db, user.id)).toBe(5);
  });
});

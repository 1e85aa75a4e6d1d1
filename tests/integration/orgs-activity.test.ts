import { randomUUID } from "node:crypto";
import { count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { activities, organizations, users } from "@/db/schema";
import { isActivityType } from "@/lib/activity/types";
import { leaveOrganization } from "@/lib/orgs/memberships";
import { createOrganization, renameOrganization } from "@/lib/orgs/organizations";

import { activitiesOf, activityCountBy } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { actorOf, addMember, seedOrg, seedUser, uniqueOrgName } from "../helpers/seed";

const t = setupTestDatabase();

async function totalActivities(): Promise<number> {
  const [row] = await t.db.select({ value: count() }).from(activities);
  return row?.value ?? 0;
}

/** Runs `work` (which must fail) and checks that not a single activity entry was written. */
async function writesNoActivity(work: () => Promise<unknown>, code: Parameters<typeof expectAppError>[1]) {
  const before = await totalActivities();
  await expectAppError(work(), code);
  expect(await totalActivities(), `a failed change (${code}) wrote an activity entry`).toBe(before);
}

describe("activity entries of successful changes", () => {
  it("create writes exactly one organization.created with the actor snapshot, target, ip and user agent", async () => {
    const user = await seedUser(t.db, { name: "Ada Lovelace" });
    const actor = actorOf(user, { ip: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux) Firefox/140.0" });
    const startedAt = Date.now();
    const org = await createOrganization(t.db, actor, { name: uniqueOrgName("act") });

    const entries = await activitiesOf(t.db, org.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      orgId: org.id,
      type: "organization.created",
      actorUserId: user.id,
      actorTokenId: null,
      actorName: "Ada Lovelace",
      actorEmail: user.email,
      targetType: "organization",
      targetId: org.id,
      targetLabel: org.name,
      metadata: {},
      ip: "203.0.113.7",
      userAgent: "Mozilla/5.0 (X11; Linux) Firefox/140.0",
    });
    expect(isActivityType(entries[0]!.type)).toBe(true);
    expect(entries[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(startedAt - 5_000);
    expect(entries[0]!.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
  });

  it("rename writes exactly one organization.renamed with metadata {from, to}", async () => {
    const user = await seedUser(t.db);
    const org = await seedOrg(t.db, user);
    const newName = uniqueOrgName("act-renamed");
    await renameOrganization(t.db, actorOf(user, { ip: "198.51.100.1", userAgent: "curl/8.5" }), { org: { name: org.name }, newName });

    const entries = await activitiesOf(t.db, org.id);
    expect(entries.map((e) => e.type)).toEqual(["organization.created", "organization.renamed"]);
    expect(entries[1]).toMatchObject({
      actorUserId: user.id,
      actorName: user.name,
      actorEmail: user.email,
      targetType: "organization",
      targetId: org.id,
      targetLabel: newName,
      metadata: { from: org.name, to: newName },
      ip: "198.51.100.1",
      userAgent: "curl/8.5",
    });
  });

  it("leave writes exactly one member.left, targeting the member who left", async () => {
    const [owner, teammate] = await Promise.all([seedUser(t.db), seedUser(t.db, { name: "Tom Teammate" })]);
    const org = await seedOrg(t.db, owner);
    await addMember(t.db, teammate.id, org.id);
    await leaveOrganization(t.db, actorOf(teammate, { ip: "2001:db8::1", userAgent: "Safari" }), { org: { name: org.name } });

    const entries = await activitiesOf(t.db, org.id);
    expect(entries.map((e) => e.type)).toEqual(["organization.created", "member.left"]);
    expect(entries[1]).toMatchObject({
      actorUserId: teammate.id,
      actorName: "Tom Teammate",
      actorEmail: teammate.email,
      targetType: "user",
      targetId: teammate.id,
      targetLabel: teammate.email,
      ip: "2001:db8::1",
      userAgent: "Safari",
    });
  });

  it("records the API token of the actor when there is one, drops an ip that is not one and clips a huge user agent", async () => {
    const user = await seedUser(t.db);
    const tokenId = randomUUID();
    const org = await createOrganization(t.db, actorOf(user, { tokenId, ip: "9".repeat(300), userAgent: "U".repeat(5000) }), {
      name: uniqueOrgName("tok"),
    });
    const [entry] = await activitiesOf(t.db, org.id);
    expect(entry).toMatchObject({ actorTokenId: tokenId });
    expect(entry!.ip).toBeNull();
    expect(entry!.userAgent).toHaveLength(500);
  });

  it("keeps the actor's name as it was, after the user renames themselves", async () => {
    const user = await seedUser(t.db, { name: "Old Name" });
    const org = await seedOrg(t.db, user);
    await t.db.update(users).set({ name: "New Name" }).where(eq(users.id, user.id));
    const [entry] = await activitiesOf(t.db, org.id);
    expect(entry?.actorName).toBe("Old Name");
  });
});

describe("failed changes write no activity", () => {
  it("validation errors (create and rename) write none; the valid change writes one (positive control)", async () => {
    const user = await seedUser(t.db);
    await writesNoActivity(() => createOrganization(t.db, actorOf(user), { name: "Not Valid" }), "validation");
    const org = await seedOrg(t.db, user);
    await writesNoActivity(() => renameOrganization(t.db, actorOf(user), { org: { name: org.name }, newName: "api" }), "validation");
    expect(await activityCountBy(t.db, user.id)).toBe(1);
  });

  it("a taken name (create and rename) writes none", async () => {
    const user = await seedUser(t.db);
    const [mine, theirs] = [await seedOrg(t.db, user), await seedOrg(t.db, await seedUser(t.db))];
    await writesNoActivity(() => createOrganization(t.db, actorOf(user), { name: theirs.name }), "conflict");
    await writesNoActivity(() => renameOrganization(t.db, actorOf(user), { org: { name: mine.name }, newName: theirs.name }), "conflict");
    expect(await activitiesOf(t.db, mine.id)).toHaveLength(1);
    expect(await activitiesOf(t.db, theirs.id)).toHaveLength(1);
  });

  it("the organization limit writes none", async () => {
    const user = await seedUser(t.db);
    for (let i = 0; i < 5; i++) await seedOrg(t.db, user);
    await writesNoActivity(() => seedOrg(t.db, user), "limit_reached");
    expect(await activityCountBy(t.db, user.id)).toBe(5);
  });

  it("the last member's leave and a non-member's rename write none", async () => {
    const [owner, outsider] = await Promise.all([seedUser(t.db), seedUser(t.db)]);
    const org = await seedOrg(t.db, owner);
    await writesNoActivity(() => leaveOrganization(t.db, actorOf(owner), { org: { name: org.name } }), "conflict");
    await writesNoActivity(
      () => renameOrganization(t.db, actorOf(outsider), { org: { name: org.name }, newName: uniqueOrgName() }),
      "not_found",
    );
    expect(await activitiesOf(t.db, org.id)).toHaveLength(1);
  });
});

describe("the activity stream is append-only and per org", () => {
  it("the database refuses UPDATE on an entry (trigger); reads and other updates work (positive control)", async () => {
    const user = await seedUser(t.db);
    const org = await seedOrg(t.db, user);
    const [entry] = await activitiesOf(t.db, org.id);

    const refused = await t.db.execute(sql`UPDATE activities SET type = 'x' WHERE id = ${entry!.id}`).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused, "UPDATE activities must be refused").toBeInstanceOf(Error);
    const messages = [refused as Error, (refused as Error).cause as Error | undefined].map((e) => e?.message ?? "").join(" | ");
    expect(messages).toMatch(/append-only/);

    const refusedLabel = await t.db
      .update(activities)
      .set({ actorName: "Someone Else" })
      .where(eq(activities.orgId, org.id))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refusedLabel).toBeInstanceOf(Error);

    expect(await activitiesOf(t.db, org.id)).toEqual([entry]);
    // Positive control: the same path reads, and updates other tables.
    await expect(t.db.execute(sql`SELECT type FROM activities WHERE id = ${entry!.id}`)).resolves.toBeDefined();
    await t.db.execute(sql`UPDATE organizations SET plan = 'pro' WHERE id = ${org.id}`);
    expect((await t.db.select().from(organizations).where(eq(organizations.id, org.id)))[0]?.plan).toBe("pro");
  });

  it("entries of org A never appear in org B, for the same actor", async () => {
    const [user, teammate] = await Promise.all([seedUser(t.db), seedUser(t.db)]);
    const a = await seedOrg(t.db, user);
    const b = await seedOrg(t.db, user);
    await addMember(t.db, teammate.id, a.id);
    const aRenamed = uniqueOrgName("a-renamed");
    await renameOrganization(t.db, actorOf(user), { org: { name: a.name }, newName: aRenamed });
    await leaveOrganization(t.db, actorOf(teammate), { org: { name: aRenamed } });

    const [inA, inB] = [await activitiesOf(t.db, a.id), await activitiesOf(t.db, b.id)];
    expect(inA.map((e) => e.type)).toEqual(["organization.created", "organization.renamed", "member.left"]);
    expect(inB.map((e) => e.type)).toEqual(["organization.created"]);
    expect(inB.every((e) => e.orgId === b.id && e.targetId === b.id && e.targetLabel === b.name)).toBe(true);
    expect(inA.every((e) => e.orgId === a.id)).toBe(true);
    expect(inB.some((e) => [a.name, aRenamed, teammate.email].includes(e.targetLabel ?? ""))).toBe(false);
  });
});

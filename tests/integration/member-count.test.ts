import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { memberships, organizations } from "@/db/schema";
import { removeMember } from "@/lib/orgs/members";
import { leaveOrganization } from "@/lib/orgs/memberships";
import { deleteOrganization, getOrgOverview } from "@/lib/orgs/organizations";

import { setupTestDatabase } from "../helpers/db";
import { actorOf, addMember, membershipCount, seedOrg, seedUser } from "../helpers/seed";

/* organizations.member_count, kept by migration 0016's triggers in the transaction of each change. */
const t = setupTestDatabase();

async function keptCount(orgId: string): Promise<number> {
  const [row] = await t.db.select({ value: organizations.memberCount }).from(organizations).where(eq(organizations.id, orgId));
  return row!.value;
}

describe("an org's member count", () => {
  it("follows creation, joins, removal and leaving, and is what the overview shows", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    expect(await keptCount(org.id)).toBe(1);
    const joiners = [await seedUser(t.db), await seedUser(t.db), await seedUser(t.db)];
    for (const joiner of joiners) await addMember(t.db, joiner.id, org.id);
    expect(await keptCount(org.id)).toBe(4);
    await removeMember(t.db, actorOf(owner), { org: { id: org.id }, userId: joiners[0]!.id });
    await leaveOrganization(t.db, actorOf(joiners[1]!), { org: { id: org.id } });
    expect(await keptCount(org.id)).toBe(2);
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(2);
    expect((await getOrgOverview(t.db, owner.id, { id: org.id })).memberCount).toBe(2);
  });

  it("counts a bulk insert and a bulk delete once each, and a failed statement not at all", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    const users = await Promise.all(Array.from({ length: 5 }, () => seedUser(t.db)));
    await t.db.insert(memberships).values(users.map((user) => ({ orgId: org.id, userId: user.id, role: "member" as const })));
    expect(await keptCount(org.id)).toBe(6);
    // A duplicate makes the whole statement fail: nothing was added, nothing counted.
    await expect(t.db.insert(memberships).values([{ orgId: org.id, userId: owner.id, role: "member" as const }])).rejects.toThrow();
    expect(await keptCount(org.id)).toBe(6);
    await t.db.delete(memberships).where(sql`${memberships.orgId} = ${org.id} and ${memberships.role} = 'member'`);
    expect(await keptCount(org.id)).toBe(1);
  });

  it("goes with its org when the org is deleted (the cascade finds no org to update)", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    await addMember(t.db, (await seedUser(t.db)).id, org.id);
    await deleteOrganization(t.db, actorOf(owner), { org: { id: org.id } });
    expect(await t.db.select().from(organizations).where(eq(organizations.id, org.id))).toEqual([]);
  });

  it("holds under parallel joins (PostgreSQL: the statements really overlap)", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    const joiners = await Promise.all(Array.from({ length: 12 }, () => seedUser(t.db)));
    await Promise.all(joiners.map((joiner) => addMember(t.db, joiner.id, org.id)));
    expect(await keptCount(org.id)).toBe(13);
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(13);
  });
});

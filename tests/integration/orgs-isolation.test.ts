import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { memberships, organizations, users } from "@/db/schema";
import { listMemberships, ORG_NOT_FOUND, requireMembership, requireMembershipAmong } from "@/lib/orgs/access";
import { listMembers } from "@/lib/orgs/members";
import { landingOrgName, leaveOrganization, listUserOrganizations, rememberLastOrg } from "@/lib/orgs/memberships";
import { deleteOrganization, getOrgOverview, renameOrganization } from "@/lib/orgs/organizations";
import { TwoFactorRequiredError } from "@/lib/orgs/two-factor-compliance";

import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { actorOf, addMember, membershipCount, seedOrg, seedUser, uniqueOrgName, type SeededUser } from "../helpers/seed";

const t = setupTestDatabase();

/** An org with two members, and an outsider who belongs to an org of their own. */
async function scene() {
  const [owner, teammate, outsider] = await Promise.all([seedUser(t.db), seedUser(t.db), seedUser(t.db)]);
  const org = await seedOrg(t.db, owner);
  await addMember(t.db, teammate.id, org.id);
  const outsidersOrg = await seedOrg(t.db, outsider);
  return { owner, teammate, outsider, org, outsidersOrg };
}

const orgRow = async (orgId: string) => (await t.db.select().from(organizations).where(eq(organizations.id, orgId)))[0];

async function expectNotFound(work: Promise<unknown>) {
  const error = await expectAppError(work, "not_found");
  // The same answer as for an org that does not exist: names of private orgs do not leak.
  expect(error.message).toBe(ORG_NOT_FOUND);
}

describe("a non-member gets not_found from every org function; a member succeeds", () => {
  it("requireMembership", async () => {
    const { owner, outsider, org } = await scene();
    await expectNotFound(requireMembership(t.db, outsider.id, { name: org.name }));
    await expectNotFound(requireMembership(t.db, outsider.id, { name: uniqueOrgName("missing") }));
    await expect(requireMembership(t.db, owner.id, { name: org.name })).resolves.toMatchObject({ org: { id: org.id, name: org.name } });
  });

  it("requireMembership by id: not_found for another org's id, a missing id and a malformed one", async () => {
    const { owner, outsider, org, outsidersOrg } = await scene();
    await expectNotFound(requireMembership(t.db, outsider.id, { id: org.id }));
    await expectNotFound(requireMembership(t.db, owner.id, { id: outsidersOrg.id }));
    await expectNotFound(requireMembership(t.db, owner.id, { id: randomUUID() }));
    for (const id of ["not-a-uuid", "", `${org.id}x`, org.name]) {
      await expectNotFound(requireMembership(t.db, owner.id, { id }));
    }
    await expect(requireMembership(t.db, owner.id, { id: org.id })).resolves.toMatchObject({
      org: { id: org.id, name: org.name },
      userId: owner.id,
    });
  });

  it("requireMembership does not trust an access object it did not make (or made for another user)", async () => {
    const { owner, outsider, org, outsidersOrg } = await scene();
    // Shaped like a checked access, but forged: the membership is checked in the database.
    await expectNotFound(
      requireMembership(t.db, owner.id, { org: outsidersOrg, userId: owner.id, joinedAt: new Date(), role: "owner" as const }),
    );
    // A real access of the owner, handed on to the outsider.
    const ownersAccess = await requireMembership(t.db, owner.id, { name: org.name });
    await expectNotFound(requireMembership(t.db, outsider.id, ownersAccess));
    await expect(requireMembership(t.db, owner.id, ownersAccess)).resolves.toBe(ownersAccess);
  });

  it("requireMembership answers not_found for values that cannot be org names", async () => {
    const { owner } = await scene();
    for (const name of [undefined, null, 42, "", "x".repeat(1000), { name: "x" }])
      await expectNotFound(requireMembership(t.db, owner.id, { name }));
  });

  it("renameOrganization", async () => {
    const { owner, outsider, org } = await scene();
    await expectNotFound(renameOrganization(t.db, actorOf(outsider), { org: { name: org.name }, newName: uniqueOrgName() }));
    expect((await orgRow(org.id))?.name).toBe(org.name);
    const newName = uniqueOrgName("member-renamed");
    await expect(renameOrganization(t.db, actorOf(owner), { org: { name: org.name }, newName })).resolves.toMatchObject({ name: newName });
  });

  it("leaveOrganization", async () => {
    const { teammate, outsider, org } = await scene();
    await expectNotFound(leaveOrganization(t.db, actorOf(outsider), { org: { name: org.name } }));
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(2);
    await leaveOrganization(t.db, actorOf(teammate), { org: { name: org.name } });
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(1);
  });

  it("deleteOrganization", async () => {
    const { owner, outsider, org, outsidersOrg } = await scene();
    await expectNotFound(deleteOrganization(t.db, actorOf(outsider), { org: { name: org.name } }));
    expect(await orgRow(org.id)).toBeDefined();
    // The owner of org cannot delete the outsider's org either.
    await expectNotFound(deleteOrganization(t.db, actorOf(owner), { org: { name: outsidersOrg.name } }));
    expect(await orgRow(outsidersOrg.id)).toBeDefined();
    await deleteOrganization(t.db, actorOf(owner), { org: { name: org.name } });
    expect(await orgRow(org.id)).toBeUndefined();
  });

  it("listMembers", async () => {
    const { owner, teammate, outsider, org } = await scene();
    await expectNotFound(listMembers(t.db, outsider.id, { name: org.name }));
    const { members } = await listMembers(t.db, owner.id, { name: org.name });
    expect(members.map((m) => m.email)).toEqual([owner.email, teammate.email]);
    expect(members.map((m) => m.email)).not.toContain(outsider.email);
  });

  it("getOrgOverview", async () => {
    const { teammate, outsider, org } = await scene();
    await expectNotFound(getOrgOverview(t.db, outsider.id, { name: org.name }));
    await expect(getOrgOverview(t.db, teammate.id, { name: org.name })).resolves.toMatchObject({ org: { id: org.id }, memberCount: 2 });
  });

  it("requireMembershipAmong (the console's check, from the memberships its layout read): as requireMembership", async () => {
    const { owner, outsider, org, outsidersOrg } = await scene();
    const owners = await listMemberships(t.db, owner.id);
    expect(owners.map((m) => [m.org.id, m.role])).toEqual([[org.id, "owner"]]);
    await expectNotFound(requireMembershipAmong(t.db, owner.id, owners, outsidersOrg.name));
    await expectNotFound(requireMembershipAmong(t.db, owner.id, owners, uniqueOrgName("missing")));
    await expectNotFound(requireMembershipAmong(t.db, owner.id, owners, ""));
    const access = await requireMembershipAmong(t.db, owner.id, owners, org.name.toUpperCase());
    expect(access).toMatchObject({ org: { id: org.id, name: org.name }, userId: owner.id, role: "owner" });
    // What it returns is a checked access, as requireMembership's is.
    await expect(requireMembership(t.db, owner.id, access)).resolves.toBe(access);
    // A list read for someone else, or made up, is refused.
    await expect(requireMembershipAmong(t.db, outsider.id, owners, org.name)).rejects.toThrow(/listMemberships/);
    await expect(requireMembershipAmong(t.db, owner.id, [...owners], org.name)).rejects.toThrow(/listMemberships/);
  });

  it("requireMembershipAmong applies the org's two-factor policy, as requireMembership does", async () => {
    const { owner, teammate, org } = await scene();
    await t.db.update(organizations).set({ requireTwoFactor: true }).where(eq(organizations.id, org.id));
    const direct = await requireMembership(t.db, teammate.id, { name: org.name }).catch((error: unknown) => error);
    const among = await requireMembershipAmong(t.db, teammate.id, await listMemberships(t.db, teammate.id), org.name).catch(
      (error: unknown) => error,
    );
    expect(among).toBeInstanceOf(TwoFactorRequiredError);
    expect(among).toEqual(direct);
    await t.db.update(organizations).set({ requireTwoFactor: false }).where(eq(organizations.id, org.id));
    await expect(requireMembershipAmong(t.db, owner.id, await listMemberships(t.db, owner.id), org.name)).resolves.toBeDefined();
  });

  it("listUserOrganizations lists only the user's own orgs", async () => {
    const { owner, outsider, org, outsidersOrg } = await scene();
    expect((await listUserOrganizations(t.db, owner.id)).map((o) => o.id)).toEqual([org.id]);
    expect((await listUserOrganizations(t.db, outsider.id)).map((o) => o.id)).toEqual([outsidersOrg.id]);
  });
});

describe("a removed member is refused on the very next call", () => {
  const removeMembership = (user: SeededUser, orgId: string) =>
    t.db.delete(memberships).where(and(eq(memberships.userId, user.id), eq(memberships.orgId, orgId)));

  it("reads: requireMembership, listMembers, getOrgOverview", async () => {
    const { owner, teammate, org } = await scene();
    await expect(requireMembership(t.db, teammate.id, { name: org.name })).resolves.toBeDefined();
    await expect(listMembers(t.db, teammate.id, { name: org.name })).resolves.toBeDefined();
    await expect(getOrgOverview(t.db, teammate.id, { name: org.name })).resolves.toBeDefined();

    await removeMembership(teammate, org.id);

    await expectNotFound(requireMembership(t.db, teammate.id, { name: org.name }));
    await expectNotFound(listMembers(t.db, teammate.id, { name: org.name }));
    await expectNotFound(getOrgOverview(t.db, teammate.id, { name: org.name }));
    await expect(getOrgOverview(t.db, owner.id, { name: org.name })).resolves.toMatchObject({ memberCount: 1 });
  });

  it("writes: renameOrganization, leaveOrganization", async () => {
    const { owner, teammate, org } = await scene();
    await removeMembership(teammate, org.id);
    await expectNotFound(renameOrganization(t.db, actorOf(teammate), { org: { name: org.name }, newName: uniqueOrgName() }));
    await expectNotFound(leaveOrganization(t.db, actorOf(teammate), { org: { name: org.name } }));
    expect((await orgRow(org.id))?.name).toBe(org.name);
    const newName = uniqueOrgName("still-mine");
    await expect(renameOrganization(t.db, actorOf(owner), { org: { name: org.name }, newName })).resolves.toMatchObject({ name: newName });
  });

  it("rejoining gives access back", async () => {
    const { teammate, org } = await scene();
    await removeMembership(teammate, org.id);
    await expectNotFound(requireMembership(t.db, teammate.id, { name: org.name }));
    await addMember(t.db, teammate.id, org.id);
    await expect(requireMembership(t.db, teammate.id, { name: org.name })).resolves.toMatchObject({ org: { id: org.id } });
  });
});

describe("landingOrgName", () => {
  it("is undefined for a user without organizations", async () => {
    const user = await seedUser(t.db);
    expect(await landingOrgName(t.db, user.id)).toBeUndefined();
  });

  it("is the last org used while still a member, otherwise the first by name", async () => {
    const user = await seedUser(t.db);
    const other = await seedUser(t.db);
    const suffix = uniqueOrgName("l");
    const [a, b, c] = [
      await seedOrg(t.db, user, `a${suffix}`),
      await seedOrg(t.db, user, `b${suffix}`),
      await seedOrg(t.db, user, `c${suffix}`),
    ];
    // Creating an org lands you in it.
    expect(await landingOrgName(t.db, user.id)).toBe(c.name);

    await rememberLastOrg(t.db, user.id, b.id);
    expect(await landingOrgName(t.db, user.id)).toBe(b.name);

    // Leaving the last-used org (another owner stays behind): back to the first by name.
    await addMember(t.db, other.id, b.id, "owner");
    await leaveOrganization(t.db, actorOf(user), { org: { name: b.name } });
    expect(await landingOrgName(t.db, user.id)).toBe(a.name);

    // An org the user is not a member of is never the landing org, even if remembered.
    await rememberLastOrg(t.db, user.id, b.id);
    expect(await landingOrgName(t.db, user.id)).toBe(a.name);

    // The last-used org deleted: the pointer is cleared, the first by name is used.
    await rememberLastOrg(t.db, user.id, c.id);
    expect(await landingOrgName(t.db, user.id)).toBe(c.name);
    await deleteOrganization(t.db, actorOf(user), { org: { name: c.name } });
    expect((await t.db.select({ lastOrgId: users.lastOrgId }).from(users).where(eq(users.id, user.id)))[0]?.lastOrgId).toBeNull();
    expect(await landingOrgName(t.db, user.id)).toBe(a.name);

    await deleteOrganization(t.db, actorOf(user), { org: { name: a.name } });
    expect(await landingOrgName(t.db, user.id)).toBeUndefined();
  });

  it("follows a rename of the last-used org", async () => {
    const user = await seedUser(t.db);
    const org = await seedOrg(t.db, user, `z${uniqueOrgName("l")}`);
    await seedOrg(t.db, user, `a${uniqueOrgName("l")}`);
    await rememberLastOrg(t.db, user.id, org.id);
    const newName = `z${uniqueOrgName("renamed")}`;
    await renameOrganization(t.db, actorOf(user), { org: { name: org.name }, newName });
    expect(await landingOrgName(t.db, user.id)).toBe(newName);
  });
});

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { activities, memberships, organizations, orgNameHistory, users } from "@/db/schema";
import { requireMembership } from "@/lib/orgs/access";
import { LAST_MEMBER_MESSAGE, leaveOrganization } from "@/lib/orgs/memberships";
import { deleteOrganization, renameOrganization } from "@/lib/orgs/organizations";
import type { Role } from "@/lib/shared/roles";

import { activitiesOf, activityCountBy } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { runJobs } from "../helpers/jobs";
import { emailsTo } from "../helpers/mail";
import { actorOf, addMember, membershipCount, seedOrg, seedUser, uniqueOrgName } from "../helpers/seed";

const t = setupTestDatabase();

const orgExists = async (orgId: string) => (await t.db.select().from(organizations).where(eq(organizations.id, orgId))).length === 1;

/** An org with two members: the creator (its owner) and a teammate who joined as `teammateRole` (a member unless said). */
async function orgOfTwo(teammateRole: Role = "member") {
  const [owner, teammate] = await Promise.all([seedUser(t.db, { name: "Olga Owner" }), seedUser(t.db, { name: "Tom Teammate" })]);
  const org = await seedOrg(t.db, owner);
  await addMember(t.db, teammate.id, org.id, teammateRole);
  return { owner, teammate, org };
}

describe("leaveOrganization", () => {
  it("refuses the last member (conflict, telling them to delete) and changes nothing", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    const entries = await activityCountBy(t.db, owner.id);

    const error = await expectAppError(leaveOrganization(t.db, actorOf(owner), { org: { name: org.name } }), "conflict");
    expect(error.message).toBe(LAST_MEMBER_MESSAGE);
    expect(error.message).toMatch(/delete the organization/i);
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(1);
    expect(await activityCountBy(t.db, owner.id)).toBe(entries);
  });

  it("with two members, one can leave and loses access; the other stays (positive control)", async () => {
    const { owner, teammate, org } = await orgOfTwo();

    await leaveOrganization(t.db, actorOf(teammate), { org: { name: org.name } });

    expect(await membershipCount(t.db, { orgId: org.id })).toBe(1);
    await expectAppError(requireMembership(t.db, teammate.id, { name: org.name }), "not_found");
    await expect(requireMembership(t.db, owner.id, { name: org.name })).resolves.toMatchObject({ org: { id: org.id } });
    // Now the owner is the last one.
    await expectAppError(leaveOrganization(t.db, actorOf(owner), { org: { name: org.name } }), "conflict");
  });

  it("a non-member cannot leave (not_found)", async () => {
    const { org } = await orgOfTwo();
    const outsider = await seedUser(t.db);
    await expectAppError(leaveOrganization(t.db, actorOf(outsider), { org: { name: org.name } }), "not_found");
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(2);
  });

  it("the last two members leaving in parallel: exactly one remains (10 rounds)", async () => {
    for (let round = 0; round < 10; round++) {
      // Two owners, so either may leave while the other stays: only the last-member rule decides.
      const { owner, teammate, org } = await orgOfTwo("owner");

      const results = await Promise.allSettled([
        leaveOrganization(t.db, actorOf(owner), { org: { name: org.name } }),
        leaveOrganization(t.db, actorOf(teammate), { org: { name: org.name } }),
      ]);

      expect(
        results.filter((r) => r.status === "fulfilled"),
        `round ${round}`,
      ).toHaveLength(1);
      const [refused] = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(refused?.reason).toMatchObject({ name: "AppError", code: "conflict", message: LAST_MEMBER_MESSAGE });
      expect(await membershipCount(t.db, { orgId: org.id })).toBe(1);
      expect((await activitiesOf(t.db, org.id)).filter((a) => a.type === "member.left")).toHaveLength(1);
    }
  });

  it("six members all leaving at once: exactly one remains", async () => {
    const everyone = await Promise.all(Array.from({ length: 6 }, () => seedUser(t.db)));
    const org = await seedOrg(t.db, everyone[0]!);
    // All owners, so any of them may be the one who remains.
    for (const user of everyone.slice(1)) await addMember(t.db, user.id, org.id, "owner");

    const results = await Promise.allSettled(everyone.map((user) => leaveOrganization(t.db, actorOf(user), { org: { name: org.name } })));

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(["conflict"]);
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(1);
    expect((await activitiesOf(t.db, org.id)).filter((a) => a.type === "member.left")).toHaveLength(5);
  });
});

describe("deleteOrganization", () => {
  it("deletes the org with its memberships, name history and activity, and e-mails every former member", async () => {
    // The teammate is an owner too: deleting takes an owner.
    const { owner, teammate, org } = await orgOfTwo("owner");
    const current = uniqueOrgName("doomed");
    await renameOrganization(t.db, actorOf(owner), { org: { name: org.name }, newName: current });
    expect(await activitiesOf(t.db, org.id)).toHaveLength(2);
    // The teammate's other org is not affected.
    const survivor = await seedOrg(t.db, teammate);

    await expect(deleteOrganization(t.db, actorOf(teammate), { org: { name: current } })).resolves.toEqual({ name: current });

    expect(await orgExists(org.id)).toBe(false);
    expect(await t.db.select().from(memberships).where(eq(memberships.orgId, org.id))).toEqual([]);
    expect(await t.db.select().from(orgNameHistory).where(eq(orgNameHistory.orgId, org.id))).toEqual([]);
    expect(await t.db.select().from(activities).where(eq(activities.orgId, org.id))).toEqual([]);
    await expectAppError(requireMembership(t.db, owner.id, { name: current }), "not_found");

    // Queued with the change; a worker delivers it.
    await runJobs(t.db);
    for (const member of [owner, teammate]) {
      const mails = await emailsTo(t.db, member.email, "organization-deleted");
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ subject: `The organization ${current} was deleted`, status: "sent" });
      expect(mails[0]!.text).toContain(member.name);
      expect(mails[0]!.text).toContain(`${teammate.name} deleted the organization ${current}`);
    }
    // The owner's landing org pointed at the deleted org: it is cleared, not dangling.
    const [ownerRow] = await t.db.select({ lastOrgId: users.lastOrgId }).from(users).where(eq(users.id, owner.id));
    expect(ownerRow?.lastOrgId).toBeNull();

    expect(await orgExists(survivor.id)).toBe(true);
    await expect(requireMembership(t.db, teammate.id, { name: survivor.name })).resolves.toBeDefined();
    expect(await activitiesOf(t.db, survivor.id)).toHaveLength(1);
  });

  it("escapes HTML from the deleting member's name in the e-mail", async () => {
    const owner = await seedUser(t.db, { name: "<img src=x onerror=alert(1)>" });
    const org = await seedOrg(t.db, owner);
    await deleteOrganization(t.db, actorOf(owner), { org: { name: org.name } });
    const [mail] = await emailsTo(t.db, owner.email, "organization-deleted");
    expect(mail?.html).not.toContain("<img src=x");
    expect(mail?.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("the last member can delete the org; its name is free again", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    await deleteOrganization(t.db, actorOf(owner), { org: { name: org.name } });
    expect(await orgExists(org.id)).toBe(false);
    expect(await membershipCount(t.db, { userId: owner.id })).toBe(0);
    await expect(seedOrg(t.db, await seedUser(t.db), org.name)).resolves.toMatchObject({ name: org.name });
  });

  it("a non-member cannot delete (not_found, the org stays, nobody is e-mailed)", async () => {
    const { owner, teammate, org } = await orgOfTwo();
    const outsider = await seedUser(t.db);
    await expectAppError(deleteOrganization(t.db, actorOf(outsider), { org: { name: org.name } }), "not_found");
    expect(await orgExists(org.id)).toBe(true);
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(2);
    expect(await emailsTo(t.db, owner.email, "organization-deleted")).toEqual([]);
    expect(await emailsTo(t.db, teammate.email, "organization-deleted")).toEqual([]);
  });

  it("a member removed a moment ago cannot delete (even one who was an owner)", async () => {
    const { owner, teammate, org } = await orgOfTwo("owner");
    await t.db.delete(memberships).where(eq(memberships.userId, teammate.id));
    await expectAppError(deleteOrganization(t.db, actorOf(teammate), { org: { name: org.name } }), "not_found");
    expect(await orgExists(org.id)).toBe(true);
    await expect(requireMembership(t.db, owner.id, { name: org.name })).resolves.toBeDefined();
  });

  it("deleting while the other member leaves: the org is gone or has one member, never zero", async () => {
    for (let round = 0; round < 5; round++) {
      const { owner, teammate, org } = await orgOfTwo();
      const results = await Promise.allSettled([
        deleteOrganization(t.db, actorOf(owner), { org: { name: org.name } }),
        leaveOrganization(t.db, actorOf(teammate), { org: { name: org.name } }),
      ]);
      for (const result of results) {
        if (result.status === "rejected") expect(result.reason).toMatchObject({ name: "AppError", code: "not_found" });
      }
      const exists = await orgExists(org.id);
      if (exists) expect(await membershipCount(t.db, { orgId: org.id })).toBe(1);
      else expect(await membershipCount(t.db, { orgId: org.id })).toBe(0);
      expect(results[0]?.status, `round ${round}: the delete goes through either way`).toBe("fulfilled");
    }
  });
});

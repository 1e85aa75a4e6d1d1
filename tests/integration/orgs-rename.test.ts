import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { organizations, orgNameHistory } from "@/db/schema";
import { requireMembership } from "@/lib/orgs/access";
import { leaveOrganization } from "@/lib/orgs/memberships";
import { createOrganization, findRenamedOrg, renameOrganization } from "@/lib/orgs/organizations";

import { activitiesOf } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { actorOf, addMember, seedOrg, seedUser, uniqueOrgName } from "../helpers/seed";

const t = setupTestDatabase();

const historyOf = (orgId: string) => t.db.select().from(orgNameHistory).where(eq(orgNameHistory.orgId, orgId));
const nameOf = async (orgId: string) => (await t.db.select().from(organizations).where(eq(organizations.id, orgId)))[0]?.name;

describe("renameOrganization", () => {
  it("renames, records the former name and keeps the members", async () => {
    const [owner, teammate] = await Promise.all([seedUser(t.db), seedUser(t.db)]);
    const org = await seedOrg(t.db, owner);
    await addMember(t.db, teammate.id, org.id);
    const newName = uniqueOrgName("renamed");

    const renamed = await renameOrganization(t.db, actorOf(owner), { org: { name: org.name }, newName });

    expect(renamed).toMatchObject({ id: org.id, name: newName });
    expect(await historyOf(org.id)).toEqual([expect.objectContaining({ oldName: org.name, orgId: org.id })]);
    await expect(requireMembership(t.db, teammate.id, { name: newName })).resolves.toMatchObject({ org: { id: org.id } });
    await expectAppError(requireMembership(t.db, teammate.id, { name: org.name }), "not_found");
  });

  it("an admin can rename, not only the owner; a member cannot (forbidden, nothing changes)", async () => {
    const [owner, admin, member] = await Promise.all([seedUser(t.db), seedUser(t.db), seedUser(t.db)]);
    const org = await seedOrg(t.db, owner);
    await addMember(t.db, admin.id, org.id, "admin");
    await addMember(t.db, member.id, org.id, "member");
    const refused = await expectAppError(
      renameOrganization(t.db, actorOf(member), { org: { name: org.name }, newName: uniqueOrgName("by-member") }),
      "forbidden",
    );
    expect(refused.message).toBe("Only owners and admins can rename the organization.");
    expect(await nameOf(org.id)).toBe(org.name);
    expect(await historyOf(org.id)).toEqual([]);
    const newName = uniqueOrgName("by-admin");
    await expect(renameOrganization(t.db, actorOf(admin), { org: { name: org.name }, newName })).resolves.toMatchObject({ name: newName });
  });

  it("refuses an invalid new name with fieldErrors.name and changes nothing", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    for (const newName of ["", "New Name", "Upper", "a--b", "x".repeat(40), "\u0430cme", "api"]) {
      const error = await expectAppError(renameOrganization(t.db, actorOf(owner), { org: { name: org.name }, newName }), "validation");
      expect(error.fieldErrors.name).toEqual([error.message]);
    }
    expect(await nameOf(org.id)).toBe(org.name);
    expect(await historyOf(org.id)).toEqual([]);
  });

  it("refuses a name taken by another org (conflict, already taken) and changes nothing", async () => {
    const owner = await seedUser(t.db);
    const [mine, other] = [await seedOrg(t.db, owner), await seedOrg(t.db, await seedUser(t.db))];

    const error = await expectAppError(
      renameOrganization(t.db, actorOf(owner), { org: { name: mine.name }, newName: other.name }),
      "conflict",
    );
    expect(error.message).toBe(`The name ${other.name} is already taken.`);
    expect(error.fieldErrors.name).toEqual([`The name ${other.name} is already taken. Choose another one.`]);
    expect(await nameOf(mine.id)).toBe(mine.name);
    expect(await historyOf(mine.id)).toEqual([]);
  });

  it("renaming to the current name is a no-op without history or activity", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    await expect(renameOrganization(t.db, actorOf(owner), { org: { name: org.name }, newName: org.name })).resolves.toMatchObject({
      id: org.id,
      name: org.name,
    });
    expect(await historyOf(org.id)).toEqual([]);
    expect((await activitiesOf(t.db, org.id)).map((a) => a.type)).toEqual(["organization.created"]);
  });

  it("renaming back to an own former name works", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    const second = uniqueOrgName("second");
    await renameOrganization(t.db, actorOf(owner), { org: { name: org.name }, newName: second });

    await expect(renameOrganization(t.db, actorOf(owner), { org: { name: second }, newName: org.name })).resolves.toMatchObject({
      name: org.name,
    });
    expect(await findRenamedOrg(t.db, owner.id, second)).toBe(org.name);
    expect(await findRenamedOrg(t.db, owner.id, org.name)).toBeUndefined();
    // And forth again.
    await expect(renameOrganization(t.db, actorOf(owner), { org: { name: org.name }, newName: second })).resolves.toMatchObject({
      name: second,
    });
    expect(await findRenamedOrg(t.db, owner.id, org.name)).toBe(second);
    expect((await historyOf(org.id)).map((h) => h.oldName).sort()).toEqual([org.name]);
  });

  it("two parallel renames of two orgs to the same name: exactly one wins, the other gets conflict", async () => {
    for (let round = 0; round < 5; round++) {
      const [alice, bob] = await Promise.all([seedUser(t.db), seedUser(t.db)]);
      const [a, b] = [await seedOrg(t.db, alice), await seedOrg(t.db, bob)];
      const target = uniqueOrgName("contested");

      const results = await Promise.allSettled([
        renameOrganization(t.db, actorOf(alice), { org: { name: a.name }, newName: target }),
        renameOrganization(t.db, actorOf(bob), { org: { name: b.name }, newName: target }),
      ]);

      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won, `round ${round}`).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toMatchObject({
        name: "AppError",
        code: "conflict",
        message: `The name ${target} is already taken.`,
        fieldErrors: { name: [`The name ${target} is already taken. Choose another one.`] },
      });

      const rows = await t.db
        .select()
        .from(organizations)
        .where(inArray(organizations.id, [a.id, b.id]));
      expect(rows.filter((row) => row.name === target)).toHaveLength(1);
      const loser = rows.find((row) => row.name !== target)!;
      expect([a.name, b.name]).toContain(loser.name);
      // The loser wrote neither history nor activity.
      expect(await historyOf(loser.id)).toEqual([]);
      expect((await activitiesOf(t.db, loser.id)).map((x) => x.type)).toEqual(["organization.created"]);
    }
  });

  it("eight orgs renamed to the same name at once: one wins, seven conflicts", async () => {
    const owners = await Promise.all(Array.from({ length: 8 }, () => seedUser(t.db)));
    const orgs = await Promise.all(owners.map((owner) => seedOrg(t.db, owner)));
    const target = uniqueOrgName("stampede");

    const results = await Promise.allSettled(
      orgs.map((org, i) => renameOrganization(t.db, actorOf(owners[i]!), { org: { name: org.name }, newName: target })),
    );

    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const codes = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason.code);
    expect(codes).toEqual(Array(7).fill("conflict"));
    expect(await t.db.select().from(organizations).where(eq(organizations.name, target))).toHaveLength(1);
  });
});

describe("findRenamedOrg (old URLs redirect)", () => {
  it("gives the new name to a member and nothing to a non-member", async () => {
    const [owner, outsider] = await Promise.all([seedUser(t.db), seedUser(t.db)]);
    const org = await seedOrg(t.db, owner);
    const newName = uniqueOrgName("moved");
    await renameOrganization(t.db, actorOf(owner), { org: { name: org.name }, newName });

    expect(await findRenamedOrg(t.db, owner.id, org.name)).toBe(newName);
    expect(await findRenamedOrg(t.db, outsider.id, org.name)).toBeUndefined();
    expect(await findRenamedOrg(t.db, owner.id, uniqueOrgName("never"))).toBeUndefined();
    expect(await findRenamedOrg(t.db, owner.id, "x".repeat(1000))).toBeUndefined();
  });

  it("stops redirecting once the member leaves (the redirect follows the live membership)", async () => {
    const [owner, teammate] = await Promise.all([seedUser(t.db), seedUser(t.db)]);
    const org = await seedOrg(t.db, owner);
    await addMember(t.db, teammate.id, org.id);
    const newName = uniqueOrgName("moved");
    await renameOrganization(t.db, actorOf(owner), { org: { name: org.name }, newName });
    expect(await findRenamedOrg(t.db, teammate.id, org.name)).toBe(newName);

    await leaveOrganization(t.db, actorOf(teammate), { org: { name: newName } });
    expect(await findRenamedOrg(t.db, teammate.id, org.name)).toBeUndefined();
    expect(await findRenamedOrg(t.db, owner.id, org.name)).toBe(newName);
  });

  it("stops once another org is created with the old name", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    const newName = uniqueOrgName("moved");
    await renameOrganization(t.db, actorOf(owner), { org: { name: org.name }, newName });
    expect(await findRenamedOrg(t.db, owner.id, org.name)).toBe(newName);

    const taker = await seedUser(t.db);
    await expect(createOrganization(t.db, actorOf(taker), { name: org.name })).resolves.toMatchObject({ name: org.name });
    expect(await findRenamedOrg(t.db, owner.id, org.name)).toBeUndefined();
    expect(await historyOf(org.id)).toEqual([]);
    // The old URL now belongs to the new org, for its member only.
    await expectAppError(requireMembership(t.db, owner.id, { name: org.name }), "not_found");
    await expect(requireMembership(t.db, taker.id, { name: org.name })).resolves.toBeDefined();
  });

  it("stops once another org is renamed to the old name", async () => {
    const [owner, taker] = await Promise.all([seedUser(t.db), seedUser(t.db)]);
    const org = await seedOrg(t.db, owner);
    const other = await seedOrg(t.db, taker);
    const newName = uniqueOrgName("moved");
    await renameOrganization(t.db, actorOf(owner), { org: { name: org.name }, newName });

    await expect(renameOrganization(t.db, actorOf(taker), { org: { name: other.name }, newName: org.name })).resolves.toMatchObject({
      id: other.id,
    });
    expect(await findRenamedOrg(t.db, owner.id, org.name)).toBeUndefined();
    // The taker's own former name now redirects to it.
    expect(await findRenamedOrg(t.db, taker.id, other.name)).toBe(org.name);
  });

  it("a name freed by a rename can be taken back by its old org later", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    const [second, third] = [uniqueOrgName("second"), uniqueOrgName("third")];
    await renameOrganization(t.db, actorOf(owner), { org: { name: org.name }, newName: second });
    await renameOrganization(t.db, actorOf(owner), { org: { name: second }, newName: third });
    expect(await findRenamedOrg(t.db, owner.id, org.name)).toBe(third);
    expect(await findRenamedOrg(t.db, owner.id, second)).toBe(third);

    await renameOrganization(t.db, actorOf(owner), { org: { name: third }, newName: org.name });
    expect(await findRenamedOrg(t.db, owner.id, second)).toBe(org.name);
    expect(await findRenamedOrg(t.db, owner.id, third)).toBe(org.name);
  });
});

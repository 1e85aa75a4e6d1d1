import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { users } from "@/db/schema";
import { AppError } from "@/lib/core/errors";
import { requireMembership } from "@/lib/orgs/access";
import { listMembers, removeMember } from "@/lib/orgs/members";
import type { Role } from "@/lib/shared/roles";

import { activitiesOf, activityCountBy } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { actorOf, addMember, membershipCount, seedOrg, seedUser } from "../helpers/seed";

const t = setupTestDatabase();

/** Olga owns the org; Tom joins as `teammateRole` (a member unless said). */
async function orgOfTwo(teammateRole: Role = "member") {
  const [owner, teammate] = await Promise.all([seedUser(t.db, { name: "Olga Owner" }), seedUser(t.db, { name: "Tom Teammate" })]);
  const org = await seedOrg(t.db, owner);
  await addMember(t.db, teammate.id, org.id, teammateRole);
  return { owner, teammate, org };
}

describe("removeMember", () => {
  it("removes another member; they lose access on their very next check", async () => {
    const { owner, teammate, org } = await orgOfTwo();
    await t.db.update(users).set({ lastOrgId: org.id }).where(eq(users.id, teammate.id));
    await expect(requireMembership(t.db, teammate.id, { name: org.name })).resolves.toBeDefined();

    const removed = await removeMember(t.db, actorOf(owner), { org: { name: org.name }, userId: teammate.id });

    expect(removed).toEqual({ name: "Tom Teammate", email: teammate.email, orgName: org.name });
    await expectAppError(requireMembership(t.db, teammate.id, { name: org.name }), "not_found");
    await expectAppError(listMembers(t.db, teammate.id, { name: org.name }), "not_found");
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(1);
    // Their landing org is forgotten too.
    expect((await t.db.select().from(users).where(eq(users.id, teammate.id)))[0]?.lastOrgId).toBeNull();
    // And they can no longer remove anyone there.
    await expectAppError(removeMember(t.db, actorOf(teammate), { org: { name: org.name }, userId: owner.id }), "not_found");
  });

  it("cannot remove yourself (validation: leave instead); removing the other works", async () => {
    // Two owners: removing an owner takes an owner.
    const { owner, teammate, org } = await orgOfTwo("owner");

    const error = await expectAppError(removeMember(t.db, actorOf(owner), { org: { name: org.name }, userId: owner.id }), "validation");
    expect(error.message).toMatch(/leave/i);
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(2);

    await removeMember(t.db, actorOf(teammate), { org: { name: org.name }, userId: owner.id });
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(1);
  });

  it("answers not_found for a user of another org, an unknown id or junk; a member of this org can be removed", async () => {
    const { owner, teammate, org } = await orgOfTwo();
    const other = await orgOfTwo();
    const entries = await activityCountBy(t.db, owner.id);

    for (const userId of [other.teammate.id, other.owner.id, "00000000-0000-0000-0000-000000000000", "nope", 42, undefined]) {
      await expectAppError(removeMember(t.db, actorOf(owner), { org: { name: org.name }, userId }), "not_found");
    }
    // The other org, by its name: not a member.
    await expectAppError(removeMember(t.db, actorOf(owner), { org: { name: other.org.name }, userId: other.teammate.id }), "not_found");
    expect(await membershipCount(t.db, { orgId: other.org.id })).toBe(2);
    expect(await activityCountBy(t.db, owner.id)).toBe(entries);

    await removeMember(t.db, actorOf(owner), { org: { name: org.name }, userId: teammate.id });
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(1);
  });

  it("records member.removed once, with actor, target, IP and user agent", async () => {
    const { owner, teammate, org } = await orgOfTwo();
    const actor = actorOf(owner);

    await removeMember(t.db, actor, { org: { name: org.name }, userId: teammate.id });

    const removed = (await activitiesOf(t.db, org.id)).filter((a) => a.type === "member.removed");
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatchObject({
      orgId: org.id,
      actorUserId: owner.id,
      actorName: owner.name,
      targetType: "user",
      targetId: teammate.id,
      targetLabel: teammate.email,
      ip: actor.ip,
      userAgent: actor.userAgent,
      metadata: { name: "Tom Teammate" },
    });
  });
});

describe("two last members removing each other at the same time", () => {
  // Both are owners, so each may remove the other: only the org row lock decides.
  it("leaves exactly one of them, every time (10 rounds)", async () => {
    for (let round = 0; round < 10; round++) {
      const { owner, teammate, org } = await orgOfTwo("owner");

      const results = await Promise.allSettled([
        removeMember(t.db, actorOf(owner), { org: { name: org.name }, userId: teammate.id }),
        removeMember(t.db, actorOf(teammate), { org: { name: org.name }, userId: owner.id }),
      ]);

      const fulfilled = results.filter((r) => r.status === "fulfilled");
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as unknown);
      expect(fulfilled, `round ${round}`).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toBeInstanceOf(AppError);
      // The loser is no longer a member when its turn comes.
      expect((rejected[0] as AppError).code).toBe("not_found");
      expect(await membershipCount(t.db, { orgId: org.id }), `round ${round}`).toBe(1);
      expect((await activitiesOf(t.db, org.id)).filter((a) => a.type === "member.removed")).toHaveLength(1);
    }
  }, 60_000);

  it("the last member alone can never be removed (there is nobody else to remove them)", async () => {
    const { owner, teammate, org } = await orgOfTwo("owner");
    const third = await seedUser(t.db);
    await addMember(t.db, third.id, org.id, "owner");

    // Three members, three removals at once in a ring: at most two succeed, one always remains.
    const results = await Promise.allSettled([
      removeMember(t.db, actorOf(owner), { org: { name: org.name }, userId: teammate.id }),
      removeMember(t.db, actorOf(teammate), { org: { name: org.name }, userId: third.id }),
      removeMember(t.db, actorOf(third), { org: { name: org.name }, userId: owner.id }),
    ]);

    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(AppError);
    const left = await membershipCount(t.db, { orgId: org.id });
    expect(left).toBeGreaterThanOrEqual(1);
    expect(left).toBe(3 - results.filter((r) => r.status === "fulfilled").length);
  });
});

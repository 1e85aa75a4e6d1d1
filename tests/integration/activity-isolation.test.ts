import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { exportActivitiesCsv } from "@/lib/activity/export";
import { listActivities, type ActivityFilters } from "@/lib/activity/feed";
import { inviteMembers } from "@/lib/invitations/invite";
import { removeMember } from "@/lib/orgs/members";
import { deleteOrganization, renameOrganization } from "@/lib/orgs/organizations";

import { activitiesOf } from "../helpers/activity";
import { collectChunks, parseCsv } from "../helpers/csv";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { actorOf, addMember, seedOrg, seedUser, uniqueEmail, uniqueOrgName } from "../helpers/seed";

const t = setupTestDatabase();

/** Every entry a user can page through (pages of 2, to cross page edges). */
async function listAll(userId: string, orgName: string, filters: ActivityFilters = {}) {
  const ids: number[] = [];
  const orgIds = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await listActivities(t.db, userId, { name: orgName }, { ...filters, cursor, limit: 2 });
    page.entries.forEach((e) => (ids.push(e.id), orgIds.add(e.orgId)));
    cursor = page.nextCursor;
  } while (cursor);
  return { ids, orgIds: [...orgIds] };
}

async function exportTargets(userId: string, orgName: string, filters: ActivityFilters = {}) {
  const records = parseCsv((await collectChunks(await exportActivitiesCsv(t.db, userId, { name: orgName }, filters))).join(""));
  const column = records[0]!.indexOf("target");
  return records.slice(1).map((record) => record[column]);
}

/**
 * Two orgs with histories of their own. Alice belongs to both, Bob to B only,
 * Carol to A only: for B, Carol is a stranger. Carol (in A) and Alice (in B) are
 * admins: they invite, rename and export.
 */
async function twoOrgs() {
  const [alice, bob, carol] = await Promise.all([
    seedUser(t.db, { name: "Alice Both" }),
    seedUser(t.db, { name: "Bob B" }),
    seedUser(t.db, { name: "Carol A" }),
  ]);
  const orgA = await seedOrg(t.db, alice, uniqueOrgName("iso-a"));
  const orgB = await seedOrg(t.db, bob, uniqueOrgName("iso-b"));
  await addMember(t.db, carol.id, orgA.id, "admin");
  await addMember(t.db, alice.id, orgB.id, "admin");
  await inviteMembers(t.db, actorOf(carol), { org: { name: orgA.name }, emails: uniqueEmail("a-1") });
  await inviteMembers(t.db, actorOf(alice), { org: { name: orgB.name }, emails: uniqueEmail("b-1") });
  const renamedA = await renameOrganization(t.db, actorOf(carol), { org: { name: orgA.name }, newName: uniqueOrgName("iso-a2") });
  const entriesA = await activitiesOf(t.db, orgA.id);
  const entriesB = await activitiesOf(t.db, orgB.id);
  expect(entriesA.map((e) => e.type)).toEqual(["organization.created", "invitation.sent", "organization.renamed"]);
  expect(entriesB.map((e) => e.type)).toEqual(["organization.created", "invitation.sent"]);
  return { alice, bob, carol, orgA: renamedA, orgB, entriesA, entriesB };
}

const newestFirst = (entries: { id: number }[]) => entries.map((e) => e.id).reverse();

describe("an org's activity is visible only in that org, and only to its members", () => {
  it("listActivities of B shows B's entries only, to a member of both orgs and to a member of B", async () => {
    const { alice, bob, orgA, orgB, entriesB } = await twoOrgs();
    for (const user of [alice, bob]) {
      const { ids, orgIds } = await listAll(user.id, orgB.name);
      expect(orgIds).toEqual([orgB.id]);
      expect(ids).toEqual(newestFirst(entriesB));
    }
    // And the other way round, for Alice.
    expect((await listAll(alice.id, orgA.name)).orgIds).toEqual([orgA.id]);
  });

  it("exportActivitiesCsv of B has B's entries only", async () => {
    const { alice, orgA, orgB, entriesA, entriesB } = await twoOrgs();
    const targetsB = await exportTargets(alice.id, orgB.name);
    expect(targetsB).toEqual(entriesB.map((e) => e.targetLabel).reverse());
    for (const label of entriesA.map((e) => e.targetLabel)) expect(targetsB).not.toContain(label);
    expect(await exportTargets(alice.id, orgA.name)).toEqual(entriesA.map((e) => e.targetLabel).reverse());
  });

  it("filters never reach across orgs: B filtered by an actor who acted only in A is empty", async () => {
    const { alice, carol, orgB } = await twoOrgs();
    expect((await listAll(alice.id, orgB.name, { actorId: carol.id })).ids).toEqual([]);
    expect(await exportTargets(alice.id, orgB.name, { actorId: carol.id })).toEqual([]);
    expect((await listAll(alice.id, orgB.name, { types: ["organization.renamed"] })).ids, "A was renamed, B was not").toEqual([]);
  });

  it("a cursor taken in A and replayed on B still yields B's entries only", async () => {
    const { alice, orgA, orgB } = await twoOrgs();
    const pageA = await listActivities(t.db, alice.id, { name: orgA.name }, { limit: 1 });
    expect(pageA.nextCursor).toBeDefined();
    const pageB = await listActivities(t.db, alice.id, { name: orgB.name }, { cursor: pageA.nextCursor, limit: 200 });
    expect(pageB.orgId).toBe(orgB.id);
    expect(pageB.entries.every((e) => e.orgId === orgB.id)).toBe(true);
  });

  it("a non-member gets not_found from listActivities and exportActivitiesCsv; beside it, a member of that org gets the stream", async () => {
    const { carol, bob, orgA, orgB, entriesA } = await twoOrgs();

    await expectAppError(listActivities(t.db, carol.id, { name: orgB.name }), "not_found");
    await expectAppError(exportActivitiesCsv(t.db, carol.id, { name: orgB.name }, {}), "not_found");
    await expectAppError(listActivities(t.db, bob.id, { name: orgA.name }), "not_found");
    await expectAppError(exportActivitiesCsv(t.db, bob.id, { name: orgA.name }, { types: ["organization.created"] }), "not_found");
    // By id, as an API token or a seed names the org: the same answer.
    await expectAppError(listActivities(t.db, carol.id, { id: orgB.id }), "not_found");
    await expectAppError(exportActivitiesCsv(t.db, bob.id, { id: orgA.id }, {}), "not_found");

    // Positive control: Carol does see A.
    expect((await listActivities(t.db, carol.id, { name: orgA.name })).entries.map((e) => e.id)).toEqual(newestFirst(entriesA));
    expect(await exportTargets(carol.id, orgA.name)).toHaveLength(entriesA.length);
  });

  it("not_found, identical, for a missing org and an unusable name", async () => {
    const { alice, carol, orgB } = await twoOrgs();
    const missing = await expectAppError(listActivities(t.db, alice.id, { name: uniqueOrgName("missing") }), "not_found");
    const stranger = await expectAppError(listActivities(t.db, carol.id, { name: orgB.name }), "not_found");
    expect(stranger.message, "a stranger cannot tell a private org from a missing one").toBe(missing.message);
    for (const name of [undefined, null, 42, "", "x".repeat(101), { name: orgB.name }]) {
      await expectAppError(listActivities(t.db, alice.id, { name }), "not_found");
      await expectAppError(exportActivitiesCsv(t.db, alice.id, { name }, {}), "not_found");
    }
    for (const id of ["not-a-uuid", "", `${orgB.id}x`, randomUUID()]) {
      await expectAppError(listActivities(t.db, alice.id, { id }), "not_found");
      await expectAppError(exportActivitiesCsv(t.db, alice.id, { id }, {}), "not_found");
    }
    // The name match is case-insensitive, so the upper-cased name is the same org (for a member).
    expect((await listActivities(t.db, alice.id, { name: orgB.name.toUpperCase() })).orgId).toBe(orgB.id);
  });

  it("a removed member loses access at once; a deleted org's stream is gone for everyone", async () => {
    const { alice, bob, orgB } = await twoOrgs();
    await removeMember(t.db, actorOf(bob), { org: { name: orgB.name }, userId: alice.id });
    await expectAppError(listActivities(t.db, alice.id, { name: orgB.name }), "not_found");
    await expectAppError(exportActivitiesCsv(t.db, alice.id, { name: orgB.name }, {}), "not_found");
    expect((await listActivities(t.db, bob.id, { name: orgB.name })).entries[0]).toMatchObject({
      type: "member.removed",
      targetLabel: alice.email,
    });

    await deleteOrganization(t.db, actorOf(bob), { org: { name: orgB.name } });
    await expectAppError(listActivities(t.db, bob.id, { name: orgB.name }), "not_found");
  });
});

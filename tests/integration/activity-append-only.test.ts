import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import type { Db } from "@/db/client";
import { activities, organizations } from "@/db/schema";
import { pgErrorCode } from "@/lib/core/errors";
import { inviteMembers } from "@/lib/invitations/invite";
import { deleteOrganization, renameOrganization } from "@/lib/orgs/organizations";

import { activitiesOf } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { actorOf, seedOrg, seedUser, uniqueEmail, uniqueOrgName } from "../helpers/seed";

const t = setupTestDatabase();

/** The triggers raise insufficient_privilege (42501). */
const REFUSED = "42501";

async function refusal(work: Promise<unknown>): Promise<{ code?: string; message: string }> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, "the database accepted a change to an activity entry").toBeDefined();
  let message = "";
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) message += ` ${(current as Error).message}`;
  return { code: pgErrorCode(error), message };
}

/** An org with a few entries of different kinds (created, renamed, invitation.sent). */
async function orgWithHistory() {
  const owner = await seedUser(t.db, { name: "Hana History" });
  const org = await seedOrg(t.db, owner);
  const renamed = await renameOrganization(t.db, actorOf(owner), { org: { name: org.name }, newName: uniqueOrgName("hist") });
  await inviteMembers(t.db, actorOf(owner), { org: { name: renamed.name }, emails: uniqueEmail("hist-invitee") });
  const entries = await activitiesOf(t.db, org.id);
  expect(entries.map((e) => e.type)).toEqual(["organization.created", "organization.renamed", "invitation.sent"]);
  return { owner, org: renamed, entries };
}

describe("activity entries cannot be updated", () => {
  it("an UPDATE of one entry is refused by the database and the entry is unchanged", async () => {
    const { org, entries } = await orgWithHistory();
    const target = entries[1]!;

    const refused = await refusal(
      t.db.update(activities).set({ targetLabel: "rewritten", actorName: "Someone Else" }).where(eq(activities.id, target.id)),
    );
    expect(refused.code).toBe(REFUSED);
    expect(refused.message).toMatch(/append-only/);

    expect(await activitiesOf(t.db, org.id)).toEqual(entries);
  });

  it("an UPDATE of every entry of an org, in raw SQL, is refused; so is moving an entry to another org", async () => {
    const { org, entries } = await orgWithHistory();
    const other = await seedOrg(t.db, await seedUser(t.db));

    expect(
      (await refusal(t.db.execute(sql`update activities set created_at = created_at - interval '1 year' where org_id = ${org.id}`))).code,
    ).toBe(REFUSED);
    expect((await refusal(t.db.update(activities).set({ orgId: other.id }).where(eq(activities.id, entries[0]!.id)))).code).toBe(REFUSED);
    expect(
      (
        await refusal(
          t.db
            .update(activities)
            .set({ metadata: { forged: true } })
            .where(eq(activities.orgId, org.id)),
        )
      ).code,
    ).toBe(REFUSED);

    expect(await activitiesOf(t.db, org.id)).toEqual(entries);
    expect(await activitiesOf(t.db, other.id)).toHaveLength(1);
  });

  it("an UPDATE that matches no row is not an edit and passes (positive control of the trigger's scope)", async () => {
    await expect(t.db.update(activities).set({ targetLabel: "x" }).where(eq(activities.id, -1))).resolves.toBeDefined();
  });
});

describe("activity entries cannot be deleted while their organization exists", () => {
  it("a DELETE of one entry is refused and the stream is intact", async () => {
    const { org, entries } = await orgWithHistory();

    const refused = await refusal(t.db.delete(activities).where(eq(activities.id, entries[2]!.id)));
    expect(refused.code).toBe(REFUSED);
    expect(refused.message).toMatch(/append-only/);

    expect(await activitiesOf(t.db, org.id)).toEqual(entries);
  });

  it("a DELETE of a whole org's stream, in raw SQL, is refused; inside a transaction it rolls back everything", async () => {
    const { owner, org, entries } = await orgWithHistory();

    expect((await refusal(t.db.execute(sql`delete from activities where org_id = ${org.id}`))).code).toBe(REFUSED);
    const inTx = refusal(
      t.db.transaction(async (tx) => {
        await renameOrganization(tx as unknown as Db, actorOf(owner), { org: { name: org.name }, newName: uniqueOrgName("gone") });
        await tx.delete(activities).where(eq(activities.orgId, org.id));
      }),
    );
    expect((await inTx).code).toBe(REFUSED);

    expect(await activitiesOf(t.db, org.id)).toEqual(entries);
    const [still] = await t.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, org.id));
    expect(still?.name, "the rename in the failed transaction rolled back too").toBe(org.name);
  });

  it("positive control: deleteOrganization removes the org's entries (the cascade passes) and no other org's", async () => {
    const { owner, org } = await orgWithHistory();
    const neighbour = await orgWithHistory();

    await deleteOrganization(t.db, actorOf(owner), { org: { name: org.name } });

    expect(await activitiesOf(t.db, org.id)).toEqual([]);
    expect(await activitiesOf(t.db, neighbour.org.id)).toEqual(neighbour.entries);
  });

  it("a raw DELETE of the organization row cascades to its entries as well", async () => {
    const { org } = await orgWithHistory();
    await t.db.delete(organizations).where(eq(organizations.id, org.id));
    expect(await activitiesOf(t.db, org.id)).toEqual([]);
  });
});

import { asc, count, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { apiTokens, apps, memberships, secrets } from "@/db/schema";
import { createApiToken, deleteApiToken, listApiTokens } from "@/lib/api-tokens/api-tokens";
import { createApp, deleteApp, getApp, listApps, renameApp } from "@/lib/apps/apps";
import type { Actor } from "@/lib/core/actor";
import { ORG_NOT_FOUND, requireMembership, type OrgRef } from "@/lib/orgs/access";
import { removeMember } from "@/lib/orgs/members";
import { leaveOrganization } from "@/lib/orgs/memberships";
import { listMembersWithoutTwoFactor, setTwoFactorPolicy } from "@/lib/orgs/two-factor-policy";
import { createSecret, deleteSecret, getSecret, listSecrets, revealSecret, updateSecret } from "@/lib/secrets/secrets";

import { activitiesAfter, activityMark } from "../helpers/activity";
import { seedApiToken } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { actorOf, addMember, seedOrg, seedUser, type SeededUser } from "../helpers/seed";

const t = setupTestDatabase();

const SECRET_VALUE = "postgres://app:hunter2-very-secret@db.internal/app";

/** An org with one app, one secret and one API token; the ids a call may name. */
async function orgWithResources(owner: SeededUser) {
  const org = await seedOrg(t.db, owner);
  const app = await createApp(t.db, actorOf(owner), { org: { name: org.name }, name: "web" });
  const secret = await createSecret(t.db, actorOf(owner), { org: { name: org.name }, name: "DATABASE_URL", value: SECRET_VALUE });
  const token = await seedApiToken(t.db, owner, org, "ci-deploy");
  return { org, app, secret, token };
}

type Resources = Awaited<ReturnType<typeof orgWithResources>>;

/** Every row a call could change, in the given orgs (values as stored: ciphertext, hashes, timestamps). */
async function snapshot(orgIds: string[]) {
  return {
    apps: await t.db.select().from(apps).where(inArray(apps.orgId, orgIds)).orderBy(asc(apps.id)),
    secrets: await t.db.select().from(secrets).where(inArray(secrets.orgId, orgIds)).orderBy(asc(secrets.id)),
    tokens: await t.db.select().from(apiTokens).where(inArray(apiTokens.orgId, orgIds)).orderBy(asc(apiTokens.id)),
    memberships: (await t.db.select({ value: count() }).from(memberships).where(inArray(memberships.orgId, orgIds)))[0]?.value,
  };
}

/** Runs `work` expecting not_found, then checks nothing changed, no entry was written anywhere and no value leaked. */
async function expectRefusedWithoutChange(label: string, orgIds: string[], work: () => Promise<unknown>, message: string | RegExp) {
  const before = await snapshot(orgIds);
  const mark = await activityMark(t.db);
  const error = await expectAppError(work(), "not_found");
  if (typeof message === "string") expect(error.message, label).toBe(message);
  else expect(error.message, label).toMatch(message);
  expect(JSON.stringify({ message: error.message, fields: error.fieldErrors }), label).not.toContain("hunter2");
  expect(await snapshot(orgIds), label).toEqual(before);
  expect(await activitiesAfter(t.db, mark), label).toEqual([]);
}

/** Each org function, called by `user` (acting as `actor`) in the org `org` (by name, id or access) on the resources `r`. */
const operations: Record<string, (user: SeededUser, actor: Actor, org: OrgRef, r: Resources) => Promise<unknown>> = {
  listApps: (user, _actor, org) => listApps(t.db, user.id, org),
  getApp: (user, _actor, org, r) => getApp(t.db, user.id, org, r.app.id),
  createApp: (_user, actor, org) => createApp(t.db, actor, { org, name: "intruder" }),
  renameApp: (_user, actor, org, r) => renameApp(t.db, actor, { org, appId: r.app.id, name: "renamed" }),
  deleteApp: (_user, actor, org, r) => deleteApp(t.db, actor, { org, appId: r.app.id }),
  listSecrets: (user, _actor, org) => listSecrets(t.db, user.id, org),
  getSecret: (user, _actor, org, r) => getSecret(t.db, user.id, org, r.secret.id),
  createSecret: (_user, actor, org) => createSecret(t.db, actor, { org, name: "INTRUDER", value: "x" }),
  updateSecret: (_user, actor, org, r) => updateSecret(t.db, actor, { org, secretId: r.secret.id, name: "RENAMED", value: "replaced" }),
  deleteSecret: (_user, actor, org, r) => deleteSecret(t.db, actor, { org, secretId: r.secret.id }),
  revealSecret: (_user, actor, org, r) => revealSecret(t.db, actor, { org, secretId: r.secret.id }),
  listApiTokens: (user, _actor, org) => listApiTokens(t.db, user.id, org),
  createApiToken: (_user, actor, org) => createApiToken(t.db, actor, { org, name: "intruder-token", expiresIn: "30d" }),
  deleteApiToken: (_user, actor, org, r) => deleteApiToken(t.db, actor, { org, tokenId: r.token.id }),
  listMembersWithoutTwoFactor: (user, _actor, org) => listMembersWithoutTwoFactor(t.db, user.id, org),
  setTwoFactorPolicy: (_user, actor, org) => setTwoFactorPolicy(t.db, actor, { org, required: false }),
};

/** The operations that name a resource by id (the others act on the org as a whole). */
const byId = ["getApp", "renameApp", "deleteApp", "getSecret", "updateSecret", "deleteSecret", "revealSecret", "deleteApiToken"] as const;

/**
 * An org with resources, and three people who are not its members: an outsider with
 * an org of their own, a former member who left and a former member who was removed.
 */
async function scene() {
  const [owner, outsider, leaver, removed] = await Promise.all([
    seedUser(t.db, { name: "Olga Owner" }),
    seedUser(t.db, { name: "Otto Outsider" }),
    seedUser(t.db, { name: "Lea Leaver" }),
    seedUser(t.db, { name: "Remy Removed" }),
  ]);
  const a = await orgWithResources(owner);
  const outsidersOrg = await seedOrg(t.db, outsider);
  await addMember(t.db, leaver.id, a.org.id);
  await addMember(t.db, removed.id, a.org.id);
  await leaveOrganization(t.db, actorOf(leaver), { org: { name: a.org.name } });
  await removeMember(t.db, actorOf(owner), { org: { name: a.org.name }, userId: removed.id });
  return { owner, a, outsidersOrg, nonMembers: { outsider, leaver, removed } };
}

describe("a non-member (never a member, left, or removed) gets not_found and changes nothing", () => {
  for (const [name, operation] of Object.entries(operations)) {
    it(name, async () => {
      const { owner, a, outsidersOrg, nonMembers } = await scene();
      for (const [who, user] of Object.entries(nonMembers)) {
        await expectRefusedWithoutChange(
          `${name} by the ${who}`,
          [a.org.id, outsidersOrg.id],
          () => operation(user, actorOf(user), { name: a.org.name }, a),
          ORG_NOT_FOUND,
        );
      }
      // The same call by a member goes through: the refusal was about membership, not the input.
      await expect(operation(owner, actorOf(owner), { name: a.org.name }, a)).resolves.toBeDefined();
    });
  }
});

describe("naming the org by id, or passing an access that is not the caller's, is refused the same way", () => {
  for (const [name, operation] of Object.entries(operations)) {
    it(name, async () => {
      const { owner, a, outsidersOrg, nonMembers } = await scene();
      const orgIds = [a.org.id, outsidersOrg.id];
      // The owner's checked access, handed to someone else, and one forged by shape.
      const ownersAccess = await requireMembership(t.db, owner.id, { id: a.org.id });
      const forged = { org: a.org, userId: nonMembers.outsider.id, joinedAt: new Date(), role: "owner" as const };
      const refs: Array<[string, OrgRef]> = [
        ["the org's id", { id: a.org.id }],
        ["the owner's access", ownersAccess],
        ["a forged access", forged],
      ];
      for (const [who, user] of Object.entries(nonMembers)) {
        for (const [label, org] of refs) {
          await expectRefusedWithoutChange(
            `${name} by the ${who} with ${label}`,
            orgIds,
            () => operation(user, actorOf(user), org, a),
            ORG_NOT_FOUND,
          );
        }
      }
      // Malformed or unknown ids: not_found even for the owner.
      for (const id of ["not-a-uuid", "", `${a.org.id}x`, "00000000-0000-0000-0000-000000000000"]) {
        await expectRefusedWithoutChange(
          `${name} by the owner with id ${JSON.stringify(id)}`,
          orgIds,
          () => operation(owner, actorOf(owner), { id }, a),
          ORG_NOT_FOUND,
        );
      }
      // Positive control: the owner by id reaches the org.
      await expect(operation(owner, actorOf(owner), { id: a.org.id }, a)).resolves.toBeDefined();
    });
  }
});

describe("an id of org B used while acting in org A is not_found and changes nothing", () => {
  /** Org A of `memberOfA`, org B of `ownerOfB`, each with resources of the same names. */
  async function twoOrgs(memberOfBoth: boolean) {
    const [actorUser, ownerOfB] = await Promise.all([seedUser(t.db, { name: "Ann A" }), seedUser(t.db, { name: "Ben B" })]);
    const a = await orgWithResources(actorUser);
    const b = await orgWithResources(ownerOfB);
    // An admin of B: allowed every operation here, other members' tokens included.
    if (memberOfBoth) await addMember(t.db, actorUser.id, b.org.id, "admin");
    return { actorUser, a, b };
  }

  for (const memberOfBoth of [false, true]) {
    const who = memberOfBoth ? "a member of both orgs" : "a member of A only";
    for (const name of byId) {
      it(`${name}, by ${who}`, async () => {
        const { actorUser, a, b } = await twoOrgs(memberOfBoth);
        const actor = actorOf(actorUser);
        await expectRefusedWithoutChange(
          "B's id in A",
          [a.org.id, b.org.id],
          () => operations[name]!(actorUser, actor, { name: a.org.name }, b),
          /does not exist in this organization/,
        );
        // Acting in B instead: a member of B reaches the resource, which proves the id was live.
        if (memberOfBoth) await expect(operations[name]!(actorUser, actor, { name: b.org.name }, b)).resolves.toBeDefined();
        else
          await expectRefusedWithoutChange(
            "B's id in B",
            [a.org.id, b.org.id],
            () => operations[name]!(actorUser, actor, { name: b.org.name }, b),
            ORG_NOT_FOUND,
          );
      });
    }
  }
});

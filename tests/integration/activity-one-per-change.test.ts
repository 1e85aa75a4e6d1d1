import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { invitations, organizations, users, type Activity } from "@/db/schema";
import type { ActivityType } from "@/lib/activity/types";
import type { Actor } from "@/lib/core/actor";
import { inviteMembers, removeInvitation, resendCooldownSeconds, resendInvitation } from "@/lib/invitations/invite";
import { acceptInvitation, declineInvitation } from "@/lib/invitations/respond";
import { removeMember } from "@/lib/orgs/members";
import { leaveOrganization } from "@/lib/orgs/memberships";
import { createOrganization, renameOrganization } from "@/lib/orgs/organizations";

import { activitiesAfter, activityMark } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { invitationToken } from "../helpers/mail";
import { actorOf, addMember, seedOrg, seedUser, uniqueEmail, uniqueIp, uniqueOrgName, type SeededUser } from "../helpers/seed";

const t = setupTestDatabase();

/** One action of the table: how to make it fail (each variant asserts its own refusal), and succeed. */
interface Scenario {
  actor: Actor;
  fails: Array<[string, () => Promise<unknown>]>;
  succeed: () => Promise<unknown>;
  /** Target labels of the entries the success writes, in order (one per entry). */
  targets: string[];
  targetType: string;
  orgId: () => string;
}

const distinctActor = (user: SeededUser): Actor => actorOf(user, { ip: uniqueIp(), userAgent: `Agent/${randomUUID()}` });

async function invitationId(orgId: string, email: string): Promise<string> {
  const [row] = await t.db
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.email, email)));
  if (!row) throw new Error(`no invitation to ${email}`);
  return row.id;
}

const backdateLastSent = (id: string) =>
  t.db
    .update(invitations)
    .set({ lastSentAt: sql`now() - make_interval(secs => ${resendCooldownSeconds() + 5})` })
    .where(eq(invitations.id, id));

const setMaxOrgs = (userId: string, maxOrgs: number | null) => t.db.update(users).set({ maxOrgs }).where(eq(users.id, userId));
const setMaxMembers = (orgId: string, maxMembers: number | null) =>
  t.db.update(organizations).set({ maxMembers }).where(eq(organizations.id, orgId));

/** Runs `work` with a temporary change in place, undone after (even when `work` fails). */
async function meanwhile(apply: () => Promise<unknown>, undo: () => Promise<unknown>, work: () => Promise<unknown>) {
  await apply();
  try {
    return await work();
  } finally {
    await undo();
  }
}

async function ownerAndOrg() {
  const owner = await seedUser(t.db, { name: `Olive Owner ${randomUUID().slice(0, 6)}` });
  const org = await seedOrg(t.db, owner);
  const stranger = await seedUser(t.db, { name: "Sam Stranger" });
  return { owner, org, stranger, actor: distinctActor(owner) };
}

/** An org with a pending invitation to a fresh account (and its e-mailed token). */
async function invited() {
  const base = await ownerAndOrg();
  const email = uniqueEmail("invitee");
  await inviteMembers(t.db, base.actor, { org: { name: base.org.name }, emails: email });
  const invitee = await seedUser(t.db, { email, name: "Ivy Invitee" });
  return { ...base, email, invitee, token: await invitationToken(t.db, email), id: await invitationId(base.org.id, email) };
}

const scenarios: Record<string, () => Promise<Scenario & { type: ActivityType }>> = {
  "organization.created": async () => {
    const user = await seedUser(t.db, { name: "Cora Creator" });
    const actor = distinctActor(user);
    const name = uniqueOrgName("created");
    const taken = (await seedOrg(t.db, await seedUser(t.db))).name;
    let orgId = "";
    return {
      type: "organization.created",
      actor,
      fails: [
        ["validation", () => expectAppError(createOrganization(t.db, actor, { name: "-Not A Name-" }), "validation")],
        ["conflict", () => expectAppError(createOrganization(t.db, actor, { name: taken }), "conflict")],
        [
          "limit",
          () =>
            meanwhile(
              () => setMaxOrgs(user.id, 0),
              () => setMaxOrgs(user.id, null),
              () => expectAppError(createOrganization(t.db, actor, { name }), "limit_reached"),
            ),
        ],
      ],
      succeed: async () => (orgId = (await createOrganization(t.db, actor, { name })).id),
      targets: [name],
      targetType: "organization",
      orgId: () => orgId,
    };
  },
  "organization.renamed": async () => {
    const { org, stranger, actor } = await ownerAndOrg();
    const taken = (await seedOrg(t.db, stranger)).name;
    const newName = uniqueOrgName("renamed");
    return {
      type: "organization.renamed",
      actor,
      fails: [
        [
          "validation",
          () => expectAppError(renameOrganization(t.db, actor, { org: { name: org.name }, newName: "no spaces allowed" }), "validation"),
        ],
        ["conflict", () => expectAppError(renameOrganization(t.db, actor, { org: { name: org.name }, newName: taken }), "conflict")],
        [
          "non-member",
          () => expectAppError(renameOrganization(t.db, actorOf(stranger), { org: { name: org.name }, newName }), "not_found"),
        ],
        ["no change", () => renameOrganization(t.db, actor, { org: { name: org.name }, newName: org.name })],
      ],
      succeed: () => renameOrganization(t.db, actor, { org: { name: org.name }, newName }),
      targets: [newName],
      targetType: "organization",
      orgId: () => org.id,
    };
  },
  "member.left": async () => {
    const { owner, org, stranger } = await ownerAndOrg();
    const teammate = await seedUser(t.db, { name: "Tess Teammate" });
    await addMember(t.db, teammate.id, org.id);
    const actor = distinctActor(teammate);
    const solo = await seedOrg(t.db, owner);
    return {
      type: "member.left",
      actor,
      fails: [
        ["non-member", () => expectAppError(leaveOrganization(t.db, actorOf(stranger), { org: { name: org.name } }), "not_found")],
        ["last member", () => expectAppError(leaveOrganization(t.db, actorOf(owner), { org: { name: solo.name } }), "conflict")],
      ],
      succeed: () => leaveOrganization(t.db, actor, { org: { name: org.name } }),
      targets: [teammate.email],
      targetType: "user",
      orgId: () => org.id,
    };
  },
  "invitation.sent": async () => {
    const { owner, org, stranger, actor } = await ownerAndOrg();
    const [a, b] = [uniqueEmail("sent-a"), uniqueEmail("sent-b")];
    return {
      type: "invitation.sent",
      actor,
      fails: [
        ["validation", () => expectAppError(inviteMembers(t.db, actor, { org: { name: org.name }, emails: " , " }), "validation")],
        ["non-member", () => expectAppError(inviteMembers(t.db, actorOf(stranger), { org: { name: org.name }, emails: a }), "not_found")],
        [
          "no invitable address",
          async () => {
            const outcomes = await inviteMembers(t.db, actor, { org: { name: org.name }, emails: `not-an-email ${owner.email}` });
            expect(outcomes.map((o) => o.status)).toEqual(["invalid", "already_member"]);
          },
        ],
        [
          "seat limit",
          () =>
            meanwhile(
              () => setMaxMembers(org.id, 1),
              () => setMaxMembers(org.id, null),
              async () =>
                expect((await inviteMembers(t.db, actor, { org: { name: org.name }, emails: a })).map((o) => o.status)).toEqual([
                  "no_seat",
                ]),
            ),
        ],
      ],
      // One entry per invited address; the duplicate, the invalid one and the member get none.
      succeed: () => inviteMembers(t.db, actor, { org: { name: org.name }, emails: `${a}, ${b}, ${a}, nope@, ${owner.email}` }),
      targets: [a, b],
      targetType: "invitation",
      orgId: () => org.id,
    };
  },
  "invitation.resent": async () => {
    const { org, stranger, actor, email, id } = await invited();
    return {
      type: "invitation.resent",
      actor,
      fails: [
        ["cooldown", () => expectAppError(resendInvitation(t.db, actor, { org: { name: org.name }, invitationId: id }), "rate_limited")],
        [
          "non-member",
          () => expectAppError(resendInvitation(t.db, actorOf(stranger), { org: { name: org.name }, invitationId: id }), "not_found"),
        ],
        [
          "malformed id (not_found)",
          () => expectAppError(resendInvitation(t.db, actor, { org: { name: org.name }, invitationId: "1; drop" }), "not_found"),
        ],
      ],
      succeed: async () => {
        await backdateLastSent(id);
        await resendInvitation(t.db, actor, { org: { name: org.name }, invitationId: id });
      },
      targets: [email],
      targetType: "invitation",
      orgId: () => org.id,
    };
  },
  "invitation.removed": async () => {
    const { org, stranger, actor, email, id } = await invited();
    return {
      type: "invitation.removed",
      actor,
      fails: [
        [
          "non-member",
          () => expectAppError(removeInvitation(t.db, actorOf(stranger), { org: { name: org.name }, invitationId: id }), "not_found"),
        ],
        [
          "unknown id (a valid UUID of no invitation)",
          () => expectAppError(removeInvitation(t.db, actor, { org: { name: org.name }, invitationId: randomUUID() }), "not_found"),
        ],
      ],
      succeed: () => removeInvitation(t.db, actor, { org: { name: org.name }, invitationId: id }),
      targets: [email],
      targetType: "invitation",
      orgId: () => org.id,
    };
  },
  "member.joined": async () => {
    const { org, stranger, invitee, token, email } = await invited();
    const actor = distinctActor(invitee);
    return {
      type: "member.joined",
      actor,
      fails: [
        ["another account", () => expectAppError(acceptInvitation(t.db, actorOf(stranger), { token }), "forbidden")],
        ["bad token", () => expectAppError(acceptInvitation(t.db, actor, { token: "x".repeat(43) }), "not_found")],
        [
          "org limit",
          () =>
            meanwhile(
              () => setMaxOrgs(invitee.id, 0),
              () => setMaxOrgs(invitee.id, null),
              () => expectAppError(acceptInvitation(t.db, actor, { token }), "limit_reached"),
            ),
        ],
        [
          "seat limit",
          () =>
            meanwhile(
              () => setMaxMembers(org.id, 1),
              () => setMaxMembers(org.id, null),
              () => expectAppError(acceptInvitation(t.db, actor, { token }), "limit_reached"),
            ),
        ],
      ],
      succeed: () => acceptInvitation(t.db, actor, { token }),
      targets: [email],
      targetType: "user",
      orgId: () => org.id,
    };
  },
  "invitation.declined": async () => {
    const { org, stranger, invitee, token, email } = await invited();
    const actor = distinctActor(invitee);
    return {
      type: "invitation.declined",
      actor,
      fails: [
        ["another account", () => expectAppError(declineInvitation(t.db, actorOf(stranger), { token }), "forbidden")],
        ["unverified, by id", () => expectAppError(declineInvitation(t.db, actor, { invitationId: randomUUID() }), "not_found")],
      ],
      succeed: () => declineInvitation(t.db, actor, { token }),
      targets: [email],
      targetType: "invitation",
      orgId: () => org.id,
    };
  },
  "member.removed": async () => {
    const { owner, org, stranger, actor } = await ownerAndOrg();
    const teammate = await seedUser(t.db, { name: "Rex Removed" });
    await addMember(t.db, teammate.id, org.id);
    const input = { org: { name: org.name }, userId: teammate.id };
    return {
      type: "member.removed",
      actor,
      fails: [
        ["validation (self)", () => expectAppError(removeMember(t.db, actor, { ...input, userId: owner.id }), "validation")],
        ["non-member actor", () => expectAppError(removeMember(t.db, actorOf(stranger), input), "not_found")],
        ["non-member target", () => expectAppError(removeMember(t.db, actor, { ...input, userId: stranger.id }), "not_found")],
      ],
      succeed: () => removeMember(t.db, actor, input),
      targets: [teammate.email],
      targetType: "user",
      orgId: () => org.id,
    };
  },
};

function expectSnapshot(entry: Activity, actor: Actor) {
  expect(entry).toMatchObject({
    actorUserId: actor.userId,
    actorName: actor.name,
    actorEmail: actor.email,
    actorTokenId: null,
    actorTokenName: null,
    ip: actor.ip,
    userAgent: actor.userAgent,
  });
}

describe("exactly one entry per committed change, none for a failed one", () => {
  it.each(Object.keys(scenarios))("%s", async (name) => {
    const scenario = await scenarios[name]!();

    for (const [variant, fail] of scenario.fails) {
      const mark = await activityMark(t.db);
      await fail();
      expect(await activitiesAfter(t.db, mark), `failing variant "${variant}" wrote an entry`).toEqual([]);
    }

    const mark = await activityMark(t.db);
    await scenario.succeed();
    const added = await activitiesAfter(t.db, mark);
    expect(added.map((e) => e.type)).toEqual(scenario.targets.map(() => scenario.type));
    expect(added.map((e) => e.targetLabel)).toEqual(scenario.targets);
    for (const entry of added) {
      expectSnapshot(entry, scenario.actor);
      expect(entry.orgId).toBe(scenario.orgId());
      expect(entry.targetType).toBe(scenario.targetType);
      expect(entry.targetId).toBeTruthy();
    }
  });
});

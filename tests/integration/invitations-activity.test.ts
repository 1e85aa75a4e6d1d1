import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { activities, invitations, organizations } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { inviteMembers, removeInvitation, resendCooldownSeconds, resendInvitation } from "@/lib/invitations/invite";
import { acceptInvitation, declineInvitation } from "@/lib/invitations/respond";
import { removeMember } from "@/lib/orgs/members";

import { activitiesOf, activityCountBy } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { invitationToken } from "../helpers/mail";
import { actorOf, seedOrg, seedUser, uniqueEmail } from "../helpers/seed";

const t = setupTestDatabase();

async function invitationOf(orgId: string, email: string) {
  const [row] = await t.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.email, email)));
  if (!row) throw new Error(`no invitation to ${email}`);
  return row;
}

async function entriesOf(orgId: string, type: string) {
  return (await activitiesOf(t.db, orgId)).filter((a) => a.type === type);
}

function expectActor(
  entry: { actorUserId: string | null; actorName: string; actorEmail: string | null; ip: string | null; userAgent: string | null },
  actor: Actor,
) {
  expect(entry).toMatchObject({
    actorUserId: actor.userId,
    actorName: actor.name,
    actorEmail: actor.email,
    ip: actor.ip,
    userAgent: actor.userAgent,
  });
}

async function scene() {
  const owner = await seedUser(t.db, { name: "Olga Owner" });
  const org = await seedOrg(t.db, owner);
  const other = await seedOrg(t.db, await seedUser(t.db));
  return { owner, org, other, actor: actorOf(owner) };
}

describe("activity entries of invitations and members, one per change, in the right org", () => {
  it("invitation.sent: one per invited address, none for the other outcomes", async () => {
    const { owner, org, other, actor } = await scene();
    const [a, b] = [uniqueEmail("act-a"), uniqueEmail("act-b")];

    await inviteMembers(t.db, actor, { org: { name: org.name }, emails: `${a} ${b} ${a} not-an-email ${owner.email}` });

    const sent = await entriesOf(org.id, "invitation.sent");
    expect(sent.map((e) => e.targetLabel).sort()).toEqual([a, b].sort());
    for (const entry of sent) {
      expectActor(entry, actor);
      expect(entry.targetType).toBe("invitation");
      expect(entry.targetId).toBe((await invitationOf(org.id, entry.targetLabel!)).id);
    }
    expect(await activitiesOf(t.db, other.id)).toHaveLength(1); // organization.created only
  });

  it("invitation.resent and invitation.removed: exactly one each; a refused resend writes nothing", async () => {
    const { org, actor } = await scene();
    const email = uniqueEmail("act-resend");
    await inviteMembers(t.db, actor, { org: { name: org.name }, emails: email });
    const invitation = await invitationOf(org.id, email);
    const input = { org: { name: org.name }, invitationId: invitation.id };

    await expectAppError(resendInvitation(t.db, actor, input), "rate_limited");
    expect(await entriesOf(org.id, "invitation.resent")).toHaveLength(0);

    await t.db
      .update(invitations)
      .set({ lastSentAt: sql`now() - make_interval(secs => ${resendCooldownSeconds() + 1})` })
      .where(eq(invitations.id, invitation.id));
    await resendInvitation(t.db, actor, input);
    await removeInvitation(t.db, actor, input);
    await expectAppError(removeInvitation(t.db, actor, input), "not_found");

    const resent = await entriesOf(org.id, "invitation.resent");
    const removed = await entriesOf(org.id, "invitation.removed");
    expect(resent).toHaveLength(1);
    expect(removed).toHaveLength(1);
    for (const entry of [...resent, ...removed]) {
      expectActor(entry, actor);
      expect(entry).toMatchObject({ orgId: org.id, targetType: "invitation", targetId: invitation.id, targetLabel: email });
    }
  });

  it("invitation.declined: one entry by the invitee in the inviting org; a refused decline writes nothing", async () => {
    const { org, actor } = await scene();
    const email = uniqueEmail("act-decline");
    await inviteMembers(t.db, actor, { org: { name: org.name }, emails: email });
    const token = await invitationToken(t.db, email);
    const [invitee, stranger] = await Promise.all([seedUser(t.db, { email }), seedUser(t.db)]);

    await expectAppError(declineInvitation(t.db, actorOf(stranger), { token }), "forbidden");
    expect(await activityCountBy(t.db, stranger.id)).toBe(0);

    const inviteeActor = actorOf(invitee);
    await declineInvitation(t.db, inviteeActor, { token });
    await expectAppError(declineInvitation(t.db, inviteeActor, { token }), "conflict");

    const declined = await entriesOf(org.id, "invitation.declined");
    expect(declined).toHaveLength(1);
    expectActor(declined[0]!, inviteeActor);
    expect(declined[0]).toMatchObject({ targetType: "invitation", targetLabel: email });
    expect(await activityCountBy(t.db, invitee.id)).toBe(1);
  });

  it("member.joined: exactly one entry on accept; refused accepts write nothing and leave it pending", async () => {
    const { org, actor } = await scene();
    const email = uniqueEmail("act-join");
    await inviteMembers(t.db, actor, { org: { name: org.name }, emails: email });
    const token = await invitationToken(t.db, email);
    const [invitee, stranger] = await Promise.all([seedUser(t.db, { email }), seedUser(t.db)]);

    // Refused: another account; then a full org.
    await expectAppError(acceptInvitation(t.db, actorOf(stranger), { token }), "forbidden");
    await t.db.update(organizations).set({ maxMembers: 1 }).where(eq(organizations.id, org.id));
    await expectAppError(acceptInvitation(t.db, actorOf(invitee), { token }), "limit_reached");
    expect(await entriesOf(org.id, "member.joined")).toHaveLength(0);
    expect(await activityCountBy(t.db, invitee.id)).toBe(0);
    expect((await invitationOf(org.id, email)).status).toBe("pending");

    await t.db.update(organizations).set({ maxMembers: null }).where(eq(organizations.id, org.id));
    const inviteeActor = actorOf(invitee);
    await acceptInvitation(t.db, inviteeActor, { token });
    await expectAppError(acceptInvitation(t.db, inviteeActor, { token }), "conflict");

    const joined = await entriesOf(org.id, "member.joined");
    expect(joined).toHaveLength(1);
    expectActor(joined[0]!, inviteeActor);
    expect(joined[0]).toMatchObject({
      targetType: "user",
      targetId: invitee.id,
      targetLabel: email,
      metadata: { invitationId: (await invitationOf(org.id, email)).id, invitedBy: "Olga Owner" },
    });
  });

  it("member.removed: exactly one entry; a refused removal writes nothing", async () => {
    const { org, actor } = await scene();
    const email = uniqueEmail("act-remove");
    await inviteMembers(t.db, actor, { org: { name: org.name }, emails: email });
    const member = await seedUser(t.db, { email, name: "Mia Member" });
    await acceptInvitation(t.db, actorOf(member), { token: await invitationToken(t.db, email) });
    const before = (await activitiesOf(t.db, org.id)).length;

    // Removing yourself is refused (leave instead).
    await expectAppError(removeMember(t.db, actor, { org: { name: org.name }, userId: actor.userId }), "validation");
    expect((await activitiesOf(t.db, org.id)).length).toBe(before);

    await removeMember(t.db, actor, { org: { name: org.name }, userId: member.id });
    const removed = await entriesOf(org.id, "member.removed");
    expect(removed).toHaveLength(1);
    expectActor(removed[0]!, actor);
    expect(removed[0]).toMatchObject({ targetId: member.id, targetLabel: email, metadata: { name: "Mia Member" } });
    expect((await activitiesOf(t.db, org.id)).length).toBe(before + 1);
  });

  it("entries cannot be edited afterwards (append-only)", async () => {
    const { org, actor } = await scene();
    await inviteMembers(t.db, actor, { org: { name: org.name }, emails: uniqueEmail("act-edit") });
    const [entry] = await entriesOf(org.id, "invitation.sent");

    const error = await t.db
      .update(activities)
      .set({ actorName: "someone else" })
      .where(eq(activities.id, entry!.id))
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(Error);
    expect((await entriesOf(org.id, "invitation.sent"))[0]?.actorName).toBe("Olga Owner");
  });
});

import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { invitations, memberships, organizations, type Organization } from "@/db/schema";
import { inviteMembers, listPendingInvitations, resendInvitation } from "@/lib/invitations/invite";
import { acceptInvitation } from "@/lib/invitations/respond";
import { requireMembership } from "@/lib/orgs/access";
import { listMembers, removeMember } from "@/lib/orgs/members";
import { LAST_MEMBER_MESSAGE, leaveOrganization } from "@/lib/orgs/memberships";
import { changeMemberRole } from "@/lib/orgs/roles";
import { LAST_OWNER_MESSAGE, refusalMessage, type Role } from "@/lib/shared/roles";

import { activitiesAfter, activitiesOf, activityMark } from "../helpers/activity";
import { callApi, seedApiToken } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { runJobs } from "../helpers/jobs";
import { emailsTo, invitationToken } from "../helpers/mail";
import { actorOf, addMember, membershipCount, seedOrg, seedUser, uniqueEmail, type SeededUser } from "../helpers/seed";

/*
 * Owners and role changes: an organization always keeps an owner; admins manage
 * members up to admin but never owners; a role change is one activity entry in
 * the change's transaction and an e-mail to the member, and applies at once, to
 * API tokens too. Invitations carry the role the invitee gets.
 */
const t = setupTestDatabase();

const OWNERS_ONLY_GRANT = "Only owners can make someone an owner.";

async function roleOf(org: Pick<Organization, "id">, user: Pick<SeededUser, "id">): Promise<Role | undefined> {
  const [row] = await t.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, user.id)));
  return row?.role;
}

/** An org created by Olga (its owner), with one more user per role given. */
async function orgWith(...roles: Role[]) {
  const owner = await seedUser(t.db, { name: "Olga Owner" });
  const org = await seedOrg(t.db, owner);
  const others: SeededUser[] = [];
  for (const [i, role] of roles.entries()) {
    const user = await seedUser(t.db, { name: `${role[0]!.toUpperCase()}${role.slice(1)} ${i + 1}` });
    await addMember(t.db, user.id, org.id, role);
    others.push(user);
  }
  return { owner, org, others, ref: { name: org.name } };
}

describe("the creator", () => {
  it("is the organization's owner", async () => {
    const { owner, org } = await orgWith();
    expect(await roleOf(org, owner)).toBe("owner");
    expect((await listMembers(t.db, owner.id, { name: org.name })).members.map((m) => m.role)).toEqual(["owner"]);
  });
});

describe("an organization always has an owner", () => {
  it("the last owner cannot leave while others remain; once another owner exists, they can", async () => {
    const { owner, org, others, ref } = await orgWith("admin", "member");
    const [admin] = others as [SeededUser];
    const mark = await activityMark(t.db);

    const refused = await expectAppError(leaveOrganization(t.db, actorOf(owner), { org: ref }), "conflict");
    expect(refused.message).toBe(LAST_OWNER_MESSAGE);
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(3);
    expect(await activitiesAfter(t.db, mark)).toEqual([]);

    await changeMemberRole(t.db, actorOf(owner), { org: ref, userId: admin.id, role: "owner" });
    await leaveOrganization(t.db, actorOf(owner), { org: ref });
    expect(await roleOf(org, owner)).toBeUndefined();
    expect(await roleOf(org, admin)).toBe("owner");
  });

  it("the last member (an owner alone) still gets the last-member answer: delete the organization instead", async () => {
    const { owner, ref } = await orgWith();
    const refused = await expectAppError(leaveOrganization(t.db, actorOf(owner), { org: ref }), "conflict");
    expect(refused.message).toBe(LAST_MEMBER_MESSAGE);
  });

  it("the last owner cannot be removed: not by an admin (forbidden), not by themselves (leave instead)", async () => {
    const { owner, org, others, ref } = await orgWith("admin");
    const [admin] = others as [SeededUser];

    const byAdmin = await expectAppError(removeMember(t.db, actorOf(admin), { org: ref, userId: owner.id }), "forbidden");
    expect(byAdmin.message).toBe(refusalMessage("owners.manage"));
    await expectAppError(removeMember(t.db, actorOf(owner), { org: ref, userId: owner.id }), "validation");
    expect(await roleOf(org, owner)).toBe("owner");
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(2);
  });

  it("the last owner cannot be demoted, even by themselves; with a second owner they can step down", async () => {
    const { owner, org, others, ref } = await orgWith("member");
    const [member] = others as [SeededUser];
    const mark = await activityMark(t.db);

    for (const role of ["admin", "member", "billing", "viewer"] as const) {
      const refused = await expectAppError(changeMemberRole(t.db, actorOf(owner), { org: ref, userId: owner.id, role }), "conflict");
      expect(refused.message).toBe(LAST_OWNER_MESSAGE);
    }
    expect(await roleOf(org, owner)).toBe("owner");
    expect(await activitiesAfter(t.db, mark)).toEqual([]);
    expect(await emailsTo(t.db, owner.email, "role-changed")).toEqual([]);

    await changeMemberRole(t.db, actorOf(owner), { org: ref, userId: member.id, role: "owner" });
    await changeMemberRole(t.db, actorOf(owner), { org: ref, userId: owner.id, role: "admin" });
    expect(await roleOf(org, owner)).toBe("admin");
    // The new last owner is held by the same rule.
    const refused = await expectAppError(
      changeMemberRole(t.db, actorOf(member), { org: ref, userId: member.id, role: "member" }),
      "conflict",
    );
    expect(refused.message).toBe(LAST_OWNER_MESSAGE);
  });

  it("through the API too: the last owner's token cannot demote them (409)", async () => {
    const { owner, org } = await orgWith("member");
    const { token } = await seedApiToken(t.db, owner, org);
    const answer = await callApi(t.db, "PATCH", `/members/${owner.id}`, { token, json: { role: "admin" } });
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual({ error: { code: "conflict", message: LAST_OWNER_MESSAGE } });
    expect(await roleOf(org, owner)).toBe("owner");
  });
});

describe("what admins may do to roles", () => {
  it("cannot demote or remove an owner, nor make anyone an owner (themselves included)", async () => {
    const { owner, org, others, ref } = await orgWith("owner", "admin", "member");
    const [coOwner, admin, member] = others as [SeededUser, SeededUser, SeededUser];
    const mark = await activityMark(t.db);

    for (const target of [owner, coOwner]) {
      const demote = await expectAppError(
        changeMemberRole(t.db, actorOf(admin), { org: ref, userId: target.id, role: "member" }),
        "forbidden",
      );
      expect(demote.message).toBe(refusalMessage("owners.manage"));
      const remove = await expectAppError(removeMember(t.db, actorOf(admin), { org: ref, userId: target.id }), "forbidden");
      expect(remove.message).toBe(refusalMessage("owners.manage"));
    }
    for (const target of [member, admin]) {
      const grant = await expectAppError(
        changeMemberRole(t.db, actorOf(admin), { org: ref, userId: target.id, role: "owner" }),
        "forbidden",
      );
      expect(grant.message).toBe(OWNERS_ONLY_GRANT);
    }
    expect(await activitiesAfter(t.db, mark)).toEqual([]);
    expect([await roleOf(org, owner), await roleOf(org, coOwner), await roleOf(org, admin), await roleOf(org, member)]).toEqual([
      "owner",
      "owner",
      "admin",
      "member",
    ]);
  });

  it("give any role up to admin, change other admins, and remove members below owner", async () => {
    const { org, others, ref } = await orgWith("admin", "member", "admin", "viewer");
    const [admin, member, otherAdmin, viewer] = others as [SeededUser, SeededUser, SeededUser, SeededUser];

    await expect(changeMemberRole(t.db, actorOf(admin), { org: ref, userId: member.id, role: "admin" })).resolves.toMatchObject({
      from: "member",
      to: "admin",
    });
    await expect(changeMemberRole(t.db, actorOf(admin), { org: ref, userId: otherAdmin.id, role: "billing" })).resolves.toMatchObject({
      from: "admin",
      to: "billing",
    });
    await expect(changeMemberRole(t.db, actorOf(admin), { org: ref, userId: viewer.id, role: "member" })).resolves.toMatchObject({
      from: "viewer",
      to: "member",
    });
    expect([await roleOf(org, member), await roleOf(org, otherAdmin), await roleOf(org, viewer)]).toEqual(["admin", "billing", "member"]);

    await removeMember(t.db, actorOf(admin), { org: ref, userId: member.id });
    expect(await roleOf(org, member)).toBeUndefined();
  });

  it("owners give every role, the owner role included", async () => {
    const { owner, org, others, ref } = await orgWith("viewer");
    const [user] = others as [SeededUser];
    for (const role of ["billing", "member", "admin", "owner", "viewer"] as const) {
      await changeMemberRole(t.db, actorOf(owner), { org: ref, userId: user.id, role });
      expect(await roleOf(org, user)).toBe(role);
    }
  });

  it("refuses an unknown role (validation) and an id that is not a member (not_found)", async () => {
    const { owner, others, ref } = await orgWith("member");
    const [member] = others as [SeededUser];
    for (const role of ["superuser", "", "Owner", 42, null]) {
      await expectAppError(changeMemberRole(t.db, actorOf(owner), { org: ref, userId: member.id, role }), "validation");
    }
    const stranger = await seedUser(t.db);
    for (const userId of [stranger.id, "00000000-0000-0000-0000-000000000000", "nope", undefined]) {
      await expectAppError(changeMemberRole(t.db, actorOf(owner), { org: ref, userId, role: "admin" }), "not_found");
    }
  });
});

describe("a role change is recorded and announced", () => {
  it("one member.role_changed entry with from and to, and a role-changed e-mail to the member", async () => {
    const { owner, org, others, ref } = await orgWith("member");
    const [member] = others as [SeededUser];
    const actor = actorOf(owner);
    const mark = await activityMark(t.db);

    const changed = await changeMemberRole(t.db, actor, { org: ref, userId: member.id, role: "admin" });

    expect(changed).toMatchObject({ userId: member.id, email: member.email, from: "member", to: "admin", orgName: org.name });
    const entries = await activitiesAfter(t.db, mark);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      orgId: org.id,
      type: "member.role_changed",
      actorUserId: owner.id,
      targetType: "user",
      targetId: member.id,
      targetLabel: member.email,
      metadata: { name: member.name, from: "member", to: "admin" },
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
    // Queued with the change; a worker delivers it.
    await runJobs(t.db);
    const mails = await emailsTo(t.db, member.email, "role-changed");
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ subject: `You are now admin of ${org.name}`, status: "sent" });
    expect(mails[0]!.text).toContain(`${owner.name} changed your role in ${org.name} from Member to Admin`);
    expect(mails[0]!.text).toContain(`http://localhost:3000/orgs/${org.name}`);
    // Nobody else is e-mailed about it.
    expect(await emailsTo(t.db, owner.email, "role-changed")).toEqual([]);
  });

  it("giving the role a member already has changes nothing: no entry, no e-mail", async () => {
    const { owner, others, ref } = await orgWith("billing");
    const [member] = others as [SeededUser];
    const mark = await activityMark(t.db);
    await expect(changeMemberRole(t.db, actorOf(owner), { org: ref, userId: member.id, role: "billing" })).resolves.toMatchObject({
      from: "billing",
      to: "billing",
    });
    expect(await activitiesAfter(t.db, mark)).toEqual([]);
    expect(await emailsTo(t.db, member.email, "role-changed")).toEqual([]);
  });

  it("the entry is written in the change's transaction: when it cannot be written, the role stays and nobody is e-mailed", async () => {
    const { owner, org, others, ref } = await orgWith("member");
    const [member] = others as [SeededUser];
    // A trigger refusing this org's member.role_changed entries (and nothing else).
    await t.db.execute(
      sql.raw(`create function refuse_role_entry_${org.id.replaceAll("-", "")}() returns trigger language plpgsql as $$
        begin raise exception 'activity write refused for the test'; end $$`),
    );
    await t.db.execute(
      sql.raw(`create trigger refuse_role_entry before insert on activities for each row
        when (new.org_id = '${org.id}' and new.type = 'member.role_changed')
        execute function refuse_role_entry_${org.id.replaceAll("-", "")}()`),
    );
    try {
      await expect(changeMemberRole(t.db, actorOf(owner), { org: ref, userId: member.id, role: "admin" })).rejects.toThrow();
      expect(await roleOf(org, member)).toBe("member");
      expect(await emailsTo(t.db, member.email, "role-changed")).toEqual([]);
    } finally {
      await t.db.execute(sql.raw(`drop trigger refuse_role_entry on activities`));
    }
    // Positive control: without the trigger the same change goes through with its entry.
    await changeMemberRole(t.db, actorOf(owner), { org: ref, userId: member.id, role: "admin" });
    expect(await roleOf(org, member)).toBe("admin");
    expect((await activitiesOf(t.db, org.id)).filter((entry) => entry.type === "member.role_changed")).toHaveLength(1);
  });
});

describe("a role change applies at once", () => {
  it("a demoted admin's next invitation is refused (forbidden), even with the access a page checked before the demotion", async () => {
    const { owner, org, others, ref } = await orgWith("admin");
    const [admin] = others as [SeededUser];
    const checkedBefore = await requireMembership(t.db, admin.id, ref);
    expect(checkedBefore.role).toBe("admin");
    await expect(inviteMembers(t.db, actorOf(admin), { org: ref, emails: uniqueEmail("before") })).resolves.toMatchObject([
      { status: "invited" },
    ]);

    await changeMemberRole(t.db, actorOf(owner), { org: ref, userId: admin.id, role: "member" });

    for (const orgRef of [ref, { id: org.id }, checkedBefore]) {
      const refused = await expectAppError(inviteMembers(t.db, actorOf(admin), { org: orgRef, emails: uniqueEmail("after") }), "forbidden");
      expect(refused.message).toBe(refusalMessage("invitations.manage"));
    }
    expect(await listPendingInvitations(t.db, owner.id, ref)).toHaveLength(1);
  });

  it("an API token follows its creator's role: a member's token cannot invite, after promotion it can, after demotion it cannot", async () => {
    const { owner, org, others } = await orgWith("member");
    const [member] = others as [SeededUser];
    const { token } = await seedApiToken(t.db, member, org, "member-cli");
    const ownerToken = (await seedApiToken(t.db, owner, org, "owner-cli")).token;
    const invite = () => callApi(t.db, "POST", "/invitations", { token, json: { emails: [uniqueEmail("api")] } });

    const before = await invite();
    expect(before.status).toBe(403);
    expect(before.body).toEqual({ error: { code: "forbidden", message: refusalMessage("invitations.manage") } });

    const promoted = await callApi(t.db, "PATCH", `/members/${member.id}`, { token: ownerToken, json: { role: "admin" } });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ id: member.id, email: member.email, role: "admin" });
    const after = await invite();
    expect(after.status).toBe(200);
    expect(after.body.data.map((o: { status: string }) => o.status)).toEqual(["invited"]);

    await changeMemberRole(t.db, actorOf(owner), { org: { name: org.name }, userId: member.id, role: "viewer" });
    expect((await invite()).status).toBe(403);
    // Still a member: the token reads (a viewer sees the organization), it only may not write.
    expect((await callApi(t.db, "GET", "/members", { token })).body.data.find((m: { id: string }) => m.id === member.id)).toMatchObject({
      role: "viewer",
    });
    expect((await callApi(t.db, "POST", "/apps", { token, json: { name: "web" } })).status).toBe(403);
    expect((await listPendingInvitations(t.db, owner.id, { name: org.name })).map((i) => i.role)).toEqual(["member"]);
  });
});

describe("PATCH /members/{id}", () => {
  it("answers the changed member, even when an older member's address contains theirs; the entry names the token", async () => {
    const { owner, org } = await orgWith();
    const bobEmail = uniqueEmail("bob");
    // Joined first, and "jim" + Bob's address: a search for Bob's address finds Jim too.
    const jim = await seedUser(t.db, { email: `jim${bobEmail}`, name: "Jim" });
    await addMember(t.db, jim.id, org.id, "member");
    const bob = await seedUser(t.db, { email: bobEmail, name: "Bob" });
    await addMember(t.db, bob.id, org.id, "member");
    const { token } = await seedApiToken(t.db, owner, org, "roles-cli");

    const answer = await callApi(t.db, "PATCH", `/members/${bob.id}`, { token, json: { role: "admin" } });

    expect(await roleOf(org, bob)).toBe("admin");
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toEqual({ id: bob.id, name: "Bob", email: bob.email, role: "admin", joinedAt: expect.any(String) });
    expect(await roleOf(org, jim)).toBe("member");
    expect((await activitiesOf(t.db, org.id)).at(-1)).toMatchObject({
      type: "member.role_changed",
      actorTokenName: "roles-cli",
      targetId: bob.id,
    });
  });

  it("answers 404 for an id that is not a member and 422 for an unknown role, changing nothing", async () => {
    const { owner, org, others } = await orgWith("member");
    const [member] = others as [SeededUser];
    const { token } = await seedApiToken(t.db, owner, org);
    const stranger = await seedUser(t.db);
    expect((await callApi(t.db, "PATCH", `/members/${stranger.id}`, { token, json: { role: "admin" } })).status).toBe(404);
    const unknown = await callApi(t.db, "PATCH", `/members/${member.id}`, { token, json: { role: "superuser" } });
    expect(unknown.status).toBe(422);
    expect(Object.keys(unknown.body.error.fields)).toEqual(["role"]);
    expect(await roleOf(org, member)).toBe("member");
  });
});

describe("invitations carry the role", () => {
  it("the chosen role is stored, listed, recorded and given on accepting", async () => {
    const { owner, org, ref } = await orgWith();
    const email = uniqueEmail("invited-admin");
    const mark = await activityMark(t.db);
    await inviteMembers(t.db, actorOf(owner), { org: ref, emails: email, role: "admin" });

    const [pending] = await listPendingInvitations(t.db, owner.id, ref);
    expect(pending).toMatchObject({ email, role: "admin" });
    const { token: ownerToken } = await seedApiToken(t.db, owner, org);
    expect((await callApi(t.db, "GET", "/invitations", { token: ownerToken })).body.data).toMatchObject([{ email, role: "admin" }]);
    expect((await activitiesAfter(t.db, mark)).find((entry) => entry.type === "invitation.sent")?.metadata).toEqual({ role: "admin" });

    const invitee = await seedUser(t.db, { email, name: "Ada Admin" });
    await acceptInvitation(t.db, actorOf(invitee), { token: await invitationToken(t.db, email) });
    expect(await roleOf(org, invitee)).toBe("admin");
    const joined = (await activitiesOf(t.db, org.id)).find((entry) => entry.type === "member.joined");
    expect(joined?.metadata).toMatchObject({ role: "admin" });
    // And the new admin acts as one at once.
    await expect(inviteMembers(t.db, actorOf(invitee), { org: ref, emails: uniqueEmail("by-ada") })).resolves.toMatchObject([
      { status: "invited" },
    ]);
  });

  it("member unless said, in the console and through the API; accepting gives member", async () => {
    const { owner, org, ref } = await orgWith();
    const [viaConsole, viaApi] = [uniqueEmail("plain"), uniqueEmail("plain-api")];
    await inviteMembers(t.db, actorOf(owner), { org: ref, emails: viaConsole });
    const { token } = await seedApiToken(t.db, owner, org);
    expect((await callApi(t.db, "POST", "/invitations", { token, json: { emails: [viaApi] } })).status).toBe(200);
    expect((await listPendingInvitations(t.db, owner.id, ref)).map((i) => [i.email, i.role])).toEqual([
      [viaConsole, "member"],
      [viaApi, "member"],
    ]);
    const invitee = await seedUser(t.db, { email: viaConsole });
    await acceptInvitation(t.db, actorOf(invitee), { token: await invitationToken(t.db, viaConsole) });
    expect(await roleOf(org, invitee)).toBe("member");
  });

  it("only owners invite owners: an admin is refused (nothing is sent), an owner's owner invitation makes an owner", async () => {
    const { owner, org, others, ref } = await orgWith("admin");
    await t.db.update(organizations).set({ maxMembers: 10 }).where(eq(organizations.id, org.id));
    const [admin] = others as [SeededUser];
    const email = uniqueEmail("future-owner");

    const refused = await expectAppError(inviteMembers(t.db, actorOf(admin), { org: ref, emails: email, role: "owner" }), "forbidden");
    expect(refused.message).toBe(OWNERS_ONLY_GRANT);
    expect(refused.fieldErrors.role).toEqual([OWNERS_ONLY_GRANT]);
    const { token: adminToken } = await seedApiToken(t.db, admin, org);
    const viaApi = await callApi(t.db, "POST", "/invitations", { token: adminToken, json: { emails: [email], role: "owner" } });
    expect(viaApi.status).toBe(403);
    expect(viaApi.body.error.message).toBe(OWNERS_ONLY_GRANT);
    expect(await listPendingInvitations(t.db, owner.id, ref)).toEqual([]);
    expect(await emailsTo(t.db, email, "invitation")).toEqual([]);

    // Admins invite up to admin.
    await expect(inviteMembers(t.db, actorOf(admin), { org: ref, emails: uniqueEmail("new-admin"), role: "admin" })).resolves.toMatchObject(
      [{ status: "invited" }],
    );

    await expect(inviteMembers(t.db, actorOf(owner), { org: ref, emails: email, role: "owner" })).resolves.toMatchObject([
      { status: "invited" },
    ]);
    const invitee = await seedUser(t.db, { email });
    await acceptInvitation(t.db, actorOf(invitee), { token: await invitationToken(t.db, email) });
    expect(await roleOf(org, invitee)).toBe("owner");
    // Two owners now: the first may leave.
    await leaveOrganization(t.db, actorOf(owner), { org: ref });
    expect(await roleOf(org, owner)).toBeUndefined();
  });

  it("only owners send an owner's invitation again: a fresh link from an admin would appoint an owner", async () => {
    const { owner, org, others, ref } = await orgWith("admin");
    await t.db.update(organizations).set({ maxMembers: 10 }).where(eq(organizations.id, org.id));
    const [admin] = others as [SeededUser];
    const email = uniqueEmail("owner-invite");
    await inviteMembers(t.db, actorOf(owner), { org: ref, emails: email, role: "owner" });
    const [invitation] = await listPendingInvitations(t.db, owner.id, ref);
    // Past the resend cooldown, so only the role can refuse.
    await t.db
      .update(invitations)
      .set({ lastSentAt: sql`now() - interval '1 day'` })
      .where(eq(invitations.id, invitation!.id));
    const sent = (await emailsTo(t.db, email, "invitation")).length;

    const refused = await expectAppError(resendInvitation(t.db, actorOf(admin), { org: ref, invitationId: invitation!.id }), "forbidden");
    expect(refused.message).toBe(OWNERS_ONLY_GRANT);
    expect(await emailsTo(t.db, email, "invitation")).toHaveLength(sent);

    // Positive control: the owner may.
    await expect(resendInvitation(t.db, actorOf(owner), { org: ref, invitationId: invitation!.id })).resolves.toMatchObject({ email });
    expect(await emailsTo(t.db, email, "invitation")).toHaveLength(sent + 1);
  });

  it("refuses an unknown role (validation), in the console and through the API", async () => {
    const { owner, org, ref } = await orgWith();
    await expectAppError(inviteMembers(t.db, actorOf(owner), { org: ref, emails: uniqueEmail("x"), role: "superuser" }), "validation");
    const { token } = await seedApiToken(t.db, owner, org);
    const answer = await callApi(t.db, "POST", "/invitations", { token, json: { emails: [uniqueEmail("y")], role: "superuser" } });
    expect(answer.status).toBe(422);
    expect(Object.keys(answer.body.error.fields)).toEqual(["role"]);
    expect(await t.db.$count(invitations, eq(invitations.orgId, org.id))).toBe(0);
  });
});

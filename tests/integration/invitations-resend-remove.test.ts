import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { invitations, organizations } from "@/db/schema";
import { inviteMembers, listPendingInvitations, removeInvitation, resendCooldownSeconds, resendInvitation } from "@/lib/invitations/invite";
import { acceptInvitation, declineInvitation, viewInvitation } from "@/lib/invitations/respond";

import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { emailsTo, invitationToken } from "../helpers/mail";
import { actorOf, membershipCount, seedOrg, seedUser, uniqueEmail } from "../helpers/seed";

const t = setupTestDatabase();

async function invitationRow(id: string) {
  const [row] = await t.db.select().from(invitations).where(eq(invitations.id, id));
  if (!row) throw new Error(`no invitation ${id}`);
  return row;
}

/** Moves the last send back past the cooldown, as if a minute had passed. */
const pastCooldown = (id: string) =>
  t.db
    .update(invitations)
    .set({ lastSentAt: sql`now() - make_interval(secs => ${resendCooldownSeconds() + 1})` })
    .where(eq(invitations.id, id));

async function invited(email = uniqueEmail("invitee")) {
  const owner = await seedUser(t.db, { name: "Olga Owner" });
  const org = await seedOrg(t.db, owner);
  const [outcome] = await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: email });
  expect(outcome?.status).toBe("invited");
  const [invitation] = await t.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, org.id), eq(invitations.email, email)));
  if (!invitation) throw new Error("no invitation row");
  return { owner, org, email, invitation, token: await invitationToken(t.db, email) };
}

describe("resendInvitation", () => {
  it("replaces the token: the old link answers not_found, the new one works", async () => {
    const { owner, org, email, invitation, token: oldToken } = await invited();
    const invitee = await seedUser(t.db, { email });
    await pastCooldown(invitation.id);

    await expect(resendInvitation(t.db, actorOf(owner), { org: { name: org.name }, invitationId: invitation.id })).resolves.toEqual({
      email,
    });

    const newToken = await invitationToken(t.db, email);
    expect(newToken).not.toBe(oldToken);
    expect(await emailsTo(t.db, email, "invitation")).toHaveLength(2);
    expect((await viewInvitation(t.db, oldToken)).state).toBe("not_found");
    await expectAppError(acceptInvitation(t.db, actorOf(invitee), { token: oldToken }), "not_found");
    expect((await viewInvitation(t.db, newToken)).state).toBe("pending");
    await acceptInvitation(t.db, actorOf(invitee), { token: newToken });
    expect(await membershipCount(t.db, { orgId: org.id, userId: invitee.id })).toBe(1);
  });

  it("sets a new expiry 7 days from now and counts the send", async () => {
    const { owner, org, invitation } = await invited();
    await t.db
      .update(invitations)
      .set({ expiresAt: sql`now() + interval '1 day'` })
      .where(eq(invitations.id, invitation.id));
    await pastCooldown(invitation.id);

    await resendInvitation(t.db, actorOf(owner), { org: { name: org.name }, invitationId: invitation.id });

    const row = await invitationRow(invitation.id);
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7 * 86400_000 - 120_000);
    expect(row.expiresAt.getTime()).toBeLessThan(Date.now() + 7 * 86400_000 + 120_000);
    expect(row.sendCount).toBe(2);
    expect(row.lastSentAt.getTime()).toBeGreaterThan(Date.now() - 120_000);
  });

  it("refuses a second send within the cooldown (rate_limited, in seconds), allows it after", async () => {
    const { owner, org, email, invitation } = await invited();
    const input = { org: { name: org.name }, invitationId: invitation.id };

    const error = await expectAppError(resendInvitation(t.db, actorOf(owner), input), "rate_limited");
    expect(error.message).toMatch(/in \d+ s\b/);
    const seconds = Number(error.message.match(/in (\d+) s\b/)?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(resendCooldownSeconds());
    expect(await emailsTo(t.db, email, "invitation")).toHaveLength(1);

    await pastCooldown(invitation.id);
    await resendInvitation(t.db, actorOf(owner), input);
    expect(await emailsTo(t.db, email, "invitation")).toHaveLength(2);
    // And right after that resend, the cooldown applies again.
    await expectAppError(resendInvitation(t.db, actorOf(owner), input), "rate_limited");
  });

  it("revives an expired invitation with a working link", async () => {
    const { owner, org, email, invitation, token: oldToken } = await invited();
    const invitee = await seedUser(t.db, { email });
    await t.db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(invitations.id, invitation.id));
    await pastCooldown(invitation.id);
    expect((await viewInvitation(t.db, oldToken)).state).toBe("expired");

    await resendInvitation(t.db, actorOf(owner), { org: { name: org.name }, invitationId: invitation.id });

    const token = await invitationToken(t.db, email);
    expect((await viewInvitation(t.db, token)).state).toBe("pending");
    await acceptInvitation(t.db, actorOf(invitee), { token });
    expect(await membershipCount(t.db, { orgId: org.id, userId: invitee.id })).toBe(1);
  });

  it("refuses to revive an expired invitation when the seats are taken meanwhile (limit_reached)", async () => {
    const { owner, org, invitation } = await invited();
    await t.db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(invitations.id, invitation.id));
    await pastCooldown(invitation.id);
    const outcomes = await inviteMembers(t.db, actorOf(owner), {
      org: { name: org.name },
      emails: `${uniqueEmail("s1")} ${uniqueEmail("s2")}`,
    });
    expect(outcomes.map((o) => o.status)).toEqual(["invited", "invited"]);

    const error = await expectAppError(
      resendInvitation(t.db, actorOf(owner), { org: { name: org.name }, invitationId: invitation.id }),
      "limit_reached",
    );
    expect(error.message).toBe("Your plan allows 3 members. Upgrade your plan or contact support.");

    await t.db.update(organizations).set({ maxMembers: 4 }).where(eq(organizations.id, org.id));
    await resendInvitation(t.db, actorOf(owner), { org: { name: org.name }, invitationId: invitation.id });
  });
});

describe("removeInvitation", () => {
  it("marks it removed: the link says so, it leaves the list, and it can no longer be resent or removed", async () => {
    const { owner, org, invitation, token } = await invited();
    const input = { org: { name: org.name }, invitationId: invitation.id };
    expect((await listPendingInvitations(t.db, owner.id, { name: org.name })).map((i) => i.id)).toEqual([invitation.id]);

    await expect(removeInvitation(t.db, actorOf(owner), input)).resolves.toEqual({ email: invitation.email });

    const row = await invitationRow(invitation.id);
    expect(row.status).toBe("removed");
    expect(row.respondedBy).toBe(owner.id);
    expect((await viewInvitation(t.db, token)).state).toBe("removed");
    expect(await listPendingInvitations(t.db, owner.id, { name: org.name })).toEqual([]);
    await pastCooldown(invitation.id);
    await expectAppError(resendInvitation(t.db, actorOf(owner), input), "not_found");
    await expectAppError(removeInvitation(t.db, actorOf(owner), input), "not_found");
  });

  it("frees the seat and allows a fresh invitation to the same address", async () => {
    const { owner, org, email, invitation } = await invited();
    await removeInvitation(t.db, actorOf(owner), { org: { name: org.name }, invitationId: invitation.id });

    expect((await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: email }))[0]?.status).toBe("invited");
    expect((await viewInvitation(t.db, await invitationToken(t.db, email))).state).toBe("pending");
  });
});

describe("isolation: another org's invitation is not found", () => {
  it("resend and remove with my org's name and their invitation id answer not_found; their member can", async () => {
    const theirs = await invited();
    const me = await seedUser(t.db);
    const mine = await seedOrg(t.db, me);
    await pastCooldown(theirs.invitation.id);
    const before = await invitationRow(theirs.invitation.id);

    const cross = { org: { name: mine.name }, invitationId: theirs.invitation.id };
    await expectAppError(resendInvitation(t.db, actorOf(me), cross), "not_found");
    await expectAppError(removeInvitation(t.db, actorOf(me), cross), "not_found");
    // Their org's name: I am not a member.
    const direct = { org: { name: theirs.org.name }, invitationId: theirs.invitation.id };
    await expectAppError(resendInvitation(t.db, actorOf(me), direct), "not_found");
    await expectAppError(removeInvitation(t.db, actorOf(me), direct), "not_found");
    await expectAppError(listPendingInvitations(t.db, me.id, { name: theirs.org.name }), "not_found");
    // Their org's id, or a malformed one: the same.
    for (const org of [{ id: theirs.org.id }, { id: "not-a-uuid" }]) {
      await expectAppError(resendInvitation(t.db, actorOf(me), { org, invitationId: theirs.invitation.id }), "not_found");
      await expectAppError(removeInvitation(t.db, actorOf(me), { org, invitationId: theirs.invitation.id }), "not_found");
      await expectAppError(listPendingInvitations(t.db, me.id, org), "not_found");
    }
    for (const junk of [undefined, "", "not-a-uuid", 42, "00000000-0000-0000-0000-000000000000"]) {
      await expectAppError(
        removeInvitation(t.db, actorOf(theirs.owner), { org: { name: theirs.org.name }, invitationId: junk }),
        "not_found",
      );
    }
    expect(await invitationRow(theirs.invitation.id)).toEqual(before);
    expect(await emailsTo(t.db, theirs.email, "invitation")).toHaveLength(1);

    // Positive control: their owner can do both.
    await resendInvitation(t.db, actorOf(theirs.owner), direct);
    await removeInvitation(t.db, actorOf(theirs.owner), direct);
    expect((await invitationRow(theirs.invitation.id)).status).toBe("removed");
  });
});

describe("declineInvitation", () => {
  it("by the invited account: state declined, no membership, the link can no longer be accepted", async () => {
    const { org, email, invitation, token } = await invited();
    const [invitee, stranger] = await Promise.all([seedUser(t.db, { email }), seedUser(t.db)]);

    await expectAppError(declineInvitation(t.db, actorOf(stranger), { token }), "forbidden");
    expect((await invitationRow(invitation.id)).status).toBe("pending");

    await expect(declineInvitation(t.db, actorOf(invitee), { token })).resolves.toEqual({ orgName: org.name });
    expect((await viewInvitation(t.db, token)).state).toBe("declined");
    expect(await membershipCount(t.db, { orgId: org.id, userId: invitee.id })).toBe(0);
    const error = await expectAppError(acceptInvitation(t.db, actorOf(invitee), { token }), "conflict");
    expect(error.message).toMatch(/declined/i);
    await expectAppError(declineInvitation(t.db, actorOf(invitee), { token }), "conflict");
  });

  it("by id needs a verified account with the invited email, like accepting by id", async () => {
    const { email, invitation } = await invited();
    const invitee = await seedUser(t.db, { email, verified: false });

    // Anyone can sign up with an address they do not own: unproven, they must not answer for it.
    await expectAppError(declineInvitation(t.db, actorOf(invitee), { invitationId: invitation.id }), "forbidden");
    expect((await invitationRow(invitation.id)).status).toBe("pending");
  });
});

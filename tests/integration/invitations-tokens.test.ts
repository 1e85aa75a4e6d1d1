import { createHash, randomBytes } from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { emails, invitations, users } from "@/db/schema";
import { inviteMembers, removeInvitation } from "@/lib/invitations/invite";
import { acceptInvitation, listInvitationsForUser, viewInvitation } from "@/lib/invitations/respond";
import { requireMembership } from "@/lib/orgs/access";

import { activitiesOf } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { invitationToken } from "../helpers/mail";
import { actorOf, membershipCount, seedOrg, seedUser, uniqueEmail } from "../helpers/seed";

const t = setupTestDatabase();

const sha256Hex = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");

async function invitationRow(id: string) {
  const [row] = await t.db.select().from(invitations).where(eq(invitations.id, id));
  if (!row) throw new Error(`no invitation ${id}`);
  return row;
}

/** An org (one member, the owner) that has just invited `email`; its token comes from the e-mail. */
async function invited(email = uniqueEmail("invitee")) {
  const owner = await seedUser(t.db, { name: "Olga Owner" });
  const org = await seedOrg(t.db, owner);
  const [outcome] = await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: email });
  expect(outcome?.status, outcome?.message).toBe("invited");
  const token = await invitationToken(t.db, email);
  const [row] = await t.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, org.id), eq(invitations.email, email.toLowerCase())));
  if (!row) throw new Error("no invitation row");
  return { owner, org, token, invitation: row, email: email.toLowerCase() };
}

/** Another token of the same shape: one character changed. */
function tamper(token: string): string {
  const last = token.at(-1);
  return token.slice(0, -1) + (last === "A" ? "B" : "A");
}

describe("invitation tokens", () => {
  it("e-mails 32 random bytes (base64url) and stores only their SHA-256", async () => {
    const { token, invitation } = await invited();

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(invitation.tokenHash).toBe(sha256Hex(token));
    // The raw secret appears in no column of any invitation row.
    const [found] = await t.db
      .select({ value: count() })
      .from(invitations)
      .where(sql`strpos(${invitations}::text, ${token}) > 0`);
    expect(found?.value).toBe(0);
    // Control: the same query finds the stored hash.
    const [control] = await t.db
      .select({ value: count() })
      .from(invitations)
      .where(sql`strpos(${invitations}::text, ${invitation.tokenHash}) > 0`);
    expect(control?.value).toBe(1);
  });

  it("expires 7 days after sending", async () => {
    const { invitation } = await invited();
    const sevenDays = 7 * 24 * 3600 * 1000;
    expect(invitation.expiresAt.getTime() - invitation.createdAt.getTime()).toBeGreaterThan(sevenDays - 60_000);
    expect(invitation.expiresAt.getTime() - invitation.createdAt.getTime()).toBeLessThan(sevenDays + 60_000);
  });

  it("refuses an expired link (7 days + 1 s) with a clear message; the view says expired", async () => {
    const { org, token, invitation, email } = await invited();
    const invitee = await seedUser(t.db, { email });
    expect((await viewInvitation(t.db, token)).state).toBe("pending");

    await t.db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(invitations.id, invitation.id));

    expect(await viewInvitation(t.db, token)).toMatchObject({ state: "expired", email, orgName: org.name });
    const error = await expectAppError(acceptInvitation(t.db, actorOf(invitee), { token }), "conflict");
    expect(error.message).toMatch(/expired/i);
    expect(error.message).toMatch(/send it again/i);
    expect(await membershipCount(t.db, { orgId: org.id, userId: invitee.id })).toBe(0);
    expect((await invitationRow(invitation.id)).status).toBe("pending");
    // It no longer shows in the invitee's list either (verified, so the list is not empty for that reason).
    await t.db
      .update(users)
      .set({ emailVerifiedAt: sql`now()` })
      .where(eq(users.id, invitee.id));
    expect(await listInvitationsForUser(t.db, invitee.id)).toEqual([]);
  });

  it("refuses a removed invitation's link; the view says removed", async () => {
    const { owner, org, token, invitation, email } = await invited();
    const invitee = await seedUser(t.db, { email });

    await removeInvitation(t.db, actorOf(owner), { org: { name: org.name }, invitationId: invitation.id });

    expect((await viewInvitation(t.db, token)).state).toBe("removed");
    const error = await expectAppError(acceptInvitation(t.db, actorOf(invitee), { token }), "conflict");
    expect(error.message).toMatch(/withdrawn/i);
    expect(await membershipCount(t.db, { orgId: org.id, userId: invitee.id })).toBe(0);
  });

  it("is single use: the first accept joins, a second one is refused", async () => {
    const { org, token, email } = await invited();
    const invitee = await seedUser(t.db, { email });

    await expect(acceptInvitation(t.db, actorOf(invitee), { token })).resolves.toEqual({ orgName: org.name });
    await expect(requireMembership(t.db, invitee.id, { name: org.name })).resolves.toMatchObject({ org: { id: org.id } });
    expect((await viewInvitation(t.db, token)).state).toBe("accepted");

    await expectAppError(acceptInvitation(t.db, actorOf(invitee), { token }), "conflict");
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(2);
    expect((await activitiesOf(t.db, org.id)).filter((a) => a.type === "member.joined")).toHaveLength(1);
  });

  it("answers not_found for a token with one character changed (the real one works)", async () => {
    const { token, email } = await invited();
    const invitee = await seedUser(t.db, { email });
    const wrong = tamper(token);
    expect(wrong).not.toBe(token);

    expect(await viewInvitation(t.db, wrong)).toEqual({ state: "not_found" });
    await expectAppError(acceptInvitation(t.db, actorOf(invitee), { token: wrong }), "not_found");
    for (const junk of [undefined, "", "short", 42, "x".repeat(1000), { token }]) {
      expect((await viewInvitation(t.db, junk)).state).toBe("not_found");
    }
    expect((await viewInvitation(t.db, token)).state).toBe("pending");
    await expect(acceptInvitation(t.db, actorOf(invitee), { token })).resolves.toBeDefined();
  });

  it("viewInvitation never changes anything, whatever the state", async () => {
    const { token, invitation, email } = await invited();
    const invitee = await seedUser(t.db, { email });
    const [emailsBefore] = await t.db.select({ value: count() }).from(emails);
    const userBefore = (await t.db.select().from(users).where(eq(users.id, invitee.id)))[0];

    const before = await invitationRow(invitation.id);
    for (let i = 0; i < 3; i++) await viewInvitation(t.db, token);
    expect(await invitationRow(invitation.id)).toEqual(before);

    await t.db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(invitations.id, invitation.id));
    const expired = await invitationRow(invitation.id);
    expect((await viewInvitation(t.db, token)).state).toBe("expired");
    expect(await invitationRow(invitation.id)).toEqual(expired);

    const [emailsAfter] = await t.db.select({ value: count() }).from(emails);
    expect(emailsAfter?.value).toBe(emailsBefore?.value);
    // Viewing does not verify the address or touch the account either.
    expect((await t.db.select().from(users).where(eq(users.id, invitee.id)))[0]).toEqual(userBefore);
  });
});

describe("the accepting account must have the invited email", () => {
  it("refuses another account (forbidden) and leaves the invitation pending; the invited one joins", async () => {
    const { org, token, invitation, email } = await invited();
    const [stranger, invitee] = await Promise.all([seedUser(t.db, { verified: false }), seedUser(t.db, { email, verified: false })]);
    const entries = (await activitiesOf(t.db, org.id)).length;

    const error = await expectAppError(acceptInvitation(t.db, actorOf(stranger), { token }), "forbidden");
    expect(error.message).toContain(email);
    expect(error.message).toContain(stranger.email);
    expect((await invitationRow(invitation.id)).status).toBe("pending");
    expect(await membershipCount(t.db, { orgId: org.id, userId: stranger.id })).toBe(0);
    expect((await activitiesOf(t.db, org.id)).length).toBe(entries);
    // A refused accept does not count as proof of the stranger's address either.
    expect((await t.db.select().from(users).where(eq(users.id, stranger.id)))[0]?.emailVerifiedAt).toBeNull();

    await acceptInvitation(t.db, actorOf(invitee), { token });
    expect(await membershipCount(t.db, { orgId: org.id, userId: invitee.id })).toBe(1);
    // Following the e-mailed link proves the address.
    expect((await t.db.select().from(users).where(eq(users.id, invitee.id)))[0]?.emailVerifiedAt).toBeInstanceOf(Date);
  });

  it("compares case-insensitively: Bob@Example.test invited, bob@example.test joins", async () => {
    const local = `Bob-${randomBytes(4).toString("hex")}`;
    const { org, token } = await invited(`${local}@Example.test`);
    const invitee = await seedUser(t.db, { email: `${local.toLowerCase()}@example.test` });

    await expect(acceptInvitation(t.db, actorOf(invitee), { token })).resolves.toEqual({ orgName: org.name });
    expect(await membershipCount(t.db, { orgId: org.id, userId: invitee.id })).toBe(1);
  });

  it("treats bob+x@ as another address than bob@ (refused), while bob+x@ itself joins", async () => {
    const local = `bob-${randomBytes(4).toString("hex")}`;
    const { org, token, invitation } = await invited(`${local}+x@example.test`);
    const [plain, tagged] = await Promise.all([
      seedUser(t.db, { email: `${local}@example.test` }),
      seedUser(t.db, { email: `${local}+x@example.test` }),
    ]);

    await expectAppError(acceptInvitation(t.db, actorOf(plain), { token }), "forbidden");
    expect((await invitationRow(invitation.id)).status).toBe("pending");
    await acceptInvitation(t.db, actorOf(tagged), { token });
    expect(await membershipCount(t.db, { orgId: org.id, userId: tagged.id })).toBe(1);
    expect(await membershipCount(t.db, { orgId: org.id, userId: plain.id })).toBe(0);
  });

  it("by id (from the account's list): only a verified account with the invited email can accept", async () => {
    const { org, invitation, email } = await invited();
    const [invitee, stranger] = await Promise.all([seedUser(t.db, { email, verified: false }), seedUser(t.db)]);

    // Another account cannot even find it by id.
    await expectAppError(acceptInvitation(t.db, actorOf(stranger), { invitationId: invitation.id }), "not_found");
    // Unverified: the address is not proven yet.
    await expectAppError(acceptInvitation(t.db, actorOf(invitee), { invitationId: invitation.id }), "forbidden");
    expect((await invitationRow(invitation.id)).status).toBe("pending");

    // Unverified accounts are not even shown the list.
    expect(await listInvitationsForUser(t.db, invitee.id)).toEqual([]);
    await t.db
      .update(users)
      .set({ emailVerifiedAt: sql`now()` })
      .where(eq(users.id, invitee.id));
    expect((await listInvitationsForUser(t.db, invitee.id)).map((i) => i.id)).toEqual([invitation.id]);
    await expect(acceptInvitation(t.db, actorOf(invitee), { invitationId: invitation.id })).resolves.toEqual({ orgName: org.name });
    expect(await membershipCount(t.db, { orgId: org.id, userId: invitee.id })).toBe(1);
  });
});

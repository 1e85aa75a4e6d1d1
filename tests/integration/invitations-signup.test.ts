import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { invitations, users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/passwords";
import { inviteMembers, removeInvitation } from "@/lib/invitations/invite";
import { acceptInvitation, signUpFromInvitation, viewInvitation } from "@/lib/invitations/respond";

import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { invitationToken } from "../helpers/mail";
import { actorOf, findUserByEmail, membershipCount, seedOrg, seedUser, strongPassword, uniqueEmail } from "../helpers/seed";

const t = setupTestDatabase();

async function invited(email = uniqueEmail("newcomer")) {
  const owner = await seedUser(t.db, { name: "Olga Owner" });
  const org = await seedOrg(t.db, owner);
  await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: email });
  const [invitation] = await t.db
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, org.id), eq(invitations.email, email)));
  if (!invitation) throw new Error("no invitation row");
  return { owner, org, email, invitation, token: await invitationToken(t.db, email) };
}

async function userCount(email: string) {
  const [row] = await t.db.select({ value: count() }).from(users).where(eq(users.email, email.toLowerCase()));
  return row?.value ?? 0;
}

describe("signUpFromInvitation", () => {
  it("creates a verified account with the invited email, ignoring any other email sent; it can then join", async () => {
    const { org, email, token } = await invited();
    const elsewhere = uniqueEmail("elsewhere");
    const password = strongPassword();
    // A forged form field: the email comes from the invitation only.
    const input = { token, name: "  Nina Newcomer ", password, email: elsewhere };

    const user = await signUpFromInvitation(t.db, input);

    expect(user.email).toBe(email);
    expect(user.name).toBe("Nina Newcomer");
    expect(user.emailVerifiedAt).toBeInstanceOf(Date);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash, password)).toBe(true);
    expect(await userCount(elsewhere)).toBe(0);
    // Creating the account does not join yet: that is an explicit step.
    expect(await membershipCount(t.db, { userId: user.id })).toBe(0);
    expect((await viewInvitation(t.db, token)).state).toBe("pending");

    await acceptInvitation(t.db, actorOf({ id: user.id, name: user.name, email: user.email }), { token });
    expect(await membershipCount(t.db, { orgId: org.id, userId: user.id })).toBe(1);
  });

  it("refuses when the invited address already has an account (conflict: sign in to join)", async () => {
    const { email, token } = await invited();
    const existing = await seedUser(t.db, { email });

    const error = await expectAppError(signUpFromInvitation(t.db, { token, name: "Someone", password: strongPassword() }), "conflict");

    expect(error.message).toContain(email);
    expect(error.message).toMatch(/Sign in to join/);
    expect(await userCount(email)).toBe(1);
    expect((await findUserByEmail(t.db, email))?.id).toBe(existing.id);
  });

  it("answers field errors for a bad password or name, and creates nothing", async () => {
    const { email, token } = await invited();

    const short = await expectAppError(signUpFromInvitation(t.db, { token, name: "Nina", password: "short" }), "validation");
    expect(short.fieldErrors.password?.[0]).toMatch(/at least 8/);
    const common = await expectAppError(signUpFromInvitation(t.db, { token, name: "Nina", password: "password123" }), "validation");
    expect(common.fieldErrors.password?.length).toBe(1);
    const noName = await expectAppError(signUpFromInvitation(t.db, { token, name: "   ", password: strongPassword() }), "validation");
    expect(noName.fieldErrors.name?.[0]).toMatch(/name/i);
    await expectAppError(signUpFromInvitation(t.db, { token, name: "Nina", password: undefined }), "validation");
    expect(await userCount(email)).toBe(0);

    // Control: valid fields work.
    await signUpFromInvitation(t.db, { token, name: "Nina", password: strongPassword() });
    expect(await userCount(email)).toBe(1);
  });

  it("refuses a removed, accepted, expired or unknown invitation, and creates nothing", async () => {
    const removed = await invited();
    await removeInvitation(t.db, actorOf(removed.owner), { org: { name: removed.org.name }, invitationId: removed.invitation.id });
    const removedError = await expectAppError(
      signUpFromInvitation(t.db, { token: removed.token, name: "N", password: strongPassword() }),
      "not_found",
    );
    expect(removedError.message).toMatch(/withdrawn/i);
    expect(await userCount(removed.email)).toBe(0);

    const expired = await invited();
    await t.db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(invitations.id, expired.invitation.id));
    const expiredError = await expectAppError(
      signUpFromInvitation(t.db, { token: expired.token, name: "N", password: strongPassword() }),
      "not_found",
    );
    expect(expiredError.message).toMatch(/expired/i);
    expect(await userCount(expired.email)).toBe(0);

    const accepted = await invited();
    const user = await signUpFromInvitation(t.db, { token: accepted.token, name: "N", password: strongPassword() });
    await acceptInvitation(t.db, actorOf({ id: user.id, name: user.name, email: user.email }), { token: accepted.token });
    // The account exists and the invitation is used: neither a second account nor anything else.
    await expectAppError(signUpFromInvitation(t.db, { token: accepted.token, name: "N", password: strongPassword() }), "not_found");
    expect(await userCount(accepted.email)).toBe(1);

    for (const token of [undefined, "", "x".repeat(43), 42]) {
      await expectAppError(signUpFromInvitation(t.db, { token, name: "N", password: strongPassword() }), "not_found");
    }
  });
});

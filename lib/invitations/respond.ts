import "server-only";

import { and, eq, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { invitations, memberships, organizations, users, type Invitation, type User } from "@/db/schema";
import { recordActivity } from "@/lib/activity/record";
import { hashPassword } from "@/lib/auth/passwords";
import { parseSignUp } from "@/lib/auth/sign-up";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { hasExpired, notExpired } from "@/lib/core/expiry";
import { uuidOrUndefined } from "@/lib/core/ids";
import { hashToken } from "@/lib/core/secure-token";
import { inTransaction } from "@/lib/core/transaction";
import { addMemberWithinOrgLimit } from "@/lib/orgs/memberships";
import { assertSeatAvailable } from "@/lib/orgs/seats";
import type { InvitationForUser } from "@/lib/shared/invitations";

/** What the invitation page shows for a link. Reading it never changes anything. */
export type InvitationState = "pending" | "expired" | "accepted" | "declined" | "removed" | "not_found";

export interface InvitationView {
  state: InvitationState;
  id?: string;
  email?: string;
  orgName?: string;
  inviterName?: string;
  expiresAt?: Date;
  /** The org's owners require two-factor of every member (lib/orgs/two-factor-policy.ts). */
  requiresTwoFactor?: boolean;
}

function validTokenShape(token: unknown): token is string {
  return typeof token === "string" && token.length >= 20 && token.length <= 200;
}

function stateOf(invitation: Invitation, expired: boolean): InvitationState {
  if (invitation.status !== "pending") return invitation.status;
  return expired ? "expired" : "pending";
}

export async function viewInvitation(db: Db, token: unknown): Promise<InvitationView> {
  if (!validTokenShape(token)) return { state: "not_found" };
  const [row] = await db
    .select({
      invitation: invitations,
      orgName: organizations.name,
      requiresTwoFactor: organizations.requireTwoFactor,
      expired: hasExpired(invitations.expiresAt),
    })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .where(eq(invitations.tokenHash, hashToken(token)));
  if (!row) return { state: "not_found" };
  const { invitation } = row;
  return {
    state: stateOf(invitation, row.expired),
    id: invitation.id,
    email: invitation.email,
    orgName: row.orgName,
    inviterName: invitation.invitedByName,
    expiresAt: invitation.expiresAt,
    requiresTwoFactor: row.requiresTwoFactor,
  };
}

const STATE_MESSAGES: Record<Exclude<InvitationState, "pending">, string> = {
  expired: "This invitation has expired. Ask a member of the organization to send it again.",
  accepted: "This invitation was already accepted.",
  declined: "This invitation was declined.",
  removed: "This invitation was withdrawn by the organization.",
  not_found: "This invitation does not exist or its link was replaced by a newer one.",
};

/** Either the secret from the e-mailed link, or (for a listed invitation) its id. */
export type InvitationRef = { token: unknown } | { invitationId: unknown };

async function findForResponse(tx: Db, ref: InvitationRef, user: User): Promise<{ invitation: Invitation; expired: boolean }> {
  let where;
  if ("token" in ref) {
    if (!validTokenShape(ref.token)) throw new AppError("not_found", STATE_MESSAGES.not_found);
    where = eq(invitations.tokenHash, hashToken(ref.token));
  } else {
    const id = uuidOrUndefined(ref.invitationId);
    if (!id) throw new AppError("not_found", STATE_MESSAGES.not_found);
    // By id, only the invited address's own invitations can be found at all.
    where = and(eq(invitations.id, id), eq(invitations.email, user.email));
  }
  const [row] = await tx
    .select({ invitation: invitations, expired: hasExpired(invitations.expiresAt) })
    .from(invitations)
    .where(where);
  if (!row) throw new AppError("not_found", STATE_MESSAGES.not_found);
  return row;
}

async function loadUser(tx: Db, userId: string): Promise<User> {
  const [user] = await tx.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("unauthorized", "Sign in again to continue.");
  return user;
}

function requireInvitedEmail(invitation: Invitation, user: User) {
  if (invitation.email !== user.email.toLowerCase()) {
    throw new AppError("forbidden", `This invitation was sent to ${invitation.email}, and you are signed in as ${user.email}.`);
  }
}

/** Answering a listed invitation (by id) needs a proven address; the e-mailed link is its own proof. */
function requireVerifiedForListed(ref: InvitationRef, user: User) {
  if ("invitationId" in ref && !user.emailVerifiedAt) {
    throw new AppError("forbidden", "Verify your email address first, or open the link in the invitation e-mail.");
  }
}

/**
 * Joins the org. Under the org row lock, then the user row lock: the invitation
 * must still be pending and unexpired (re-checked in the accepting UPDATE), the
 * account's email must be the invited one, the org must have a seat and the
 * user must be under their organization limit. Any refusal leaves it pending.
 */
export async function acceptInvitation(db: Db, actor: Actor, ref: InvitationRef): Promise<{ orgName: string }> {
  return inTransaction(db, async (tx) => {
    const user = await loadUser(tx, actor.userId);
    const { invitation } = await findForResponse(tx, ref, user);
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, invitation.orgId)).for("update");
    if (!org) throw new AppError("not_found", STATE_MESSAGES.not_found);
    // The user row next (orgs before users, always): the UPDATE below references it
    // (responded_by), and a share lock taken there before this FOR UPDATE would let
    // two accepts by one user into two orgs deadlock.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for("update");
    requireInvitedEmail(invitation, user);
    requireVerifiedForListed(ref, user);
    const [already] = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, user.id)));
    if (already) throw new AppError("conflict", `You are already a member of ${org.name}.`);

    const [accepted] = await tx
      .update(invitations)
      .set({ status: "accepted", respondedAt: sql`now()`, respondedBy: user.id })
      .where(and(eq(invitations.id, invitation.id), eq(invitations.status, "pending"), notExpired(invitations.expiresAt)))
      .returning();
    if (!accepted) {
      const [current] = await tx
        .select({ invitation: invitations, expired: hasExpired(invitations.expiresAt) })
        .from(invitations)
        .where(eq(invitations.id, invitation.id));
      const state = current ? stateOf(current.invitation, current.expired) : "not_found";
      throw new AppError("conflict", STATE_MESSAGES[state === "pending" ? "not_found" : state]);
    }

    // The invitation held a seat; the limit may have been lowered since it was sent.
    await assertSeatAvailable(tx, org, { membersOnly: true });
    await addMemberWithinOrgLimit(tx, user.id, org.id, accepted.role);

    // The link came by e-mail: following it proves the address.
    await tx
      .update(users)
      .set({ lastOrgId: org.id, ...("token" in ref ? { emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())` } : {}) })
      .where(eq(users.id, user.id));
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: "member.joined",
      target: { type: "user", id: user.id, label: user.email },
      metadata: { invitationId: invitation.id, invitedBy: invitation.invitedByName, role: accepted.role },
    });
    return { orgName: org.name };
  });
}

export async function declineInvitation(db: Db, actor: Actor, ref: InvitationRef): Promise<{ orgName: string }> {
  return inTransaction(db, async (tx) => {
    const user = await loadUser(tx, actor.userId);
    const { invitation } = await findForResponse(tx, ref, user);
    requireInvitedEmail(invitation, user);
    requireVerifiedForListed(ref, user);
    const [declined] = await tx
      .update(invitations)
      .set({ status: "declined", respondedAt: sql`now()`, respondedBy: user.id })
      .where(and(eq(invitations.id, invitation.id), eq(invitations.status, "pending")))
      .returning();
    if (!declined) throw new AppError("conflict", STATE_MESSAGES[invitation.status === "pending" ? "not_found" : invitation.status]);
    const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, invitation.orgId));
    await recordActivity(tx, {
      orgId: invitation.orgId,
      actor,
      type: "invitation.declined",
      target: { type: "invitation", id: invitation.id, label: invitation.email },
    });
    return { orgName: org?.name ?? "" };
  });
}

export type { InvitationForUser };

/**
 * Pending, unexpired invitations to the user's address, for onboarding and
 * Account → Organizations. Only once the address is verified: an account that
 * merely claims an address learns nothing of its invitations.
 */
export async function listInvitationsForUser(db: Db, userId: string): Promise<InvitationForUser[]> {
  const [user] = await db.select({ email: users.email, emailVerifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  if (!user?.emailVerifiedAt) return [];
  return db
    .select({ id: invitations.id, orgName: organizations.name, inviterName: invitations.invitedByName, expiresAt: invitations.expiresAt })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .where(and(eq(invitations.email, user.email.toLowerCase()), eq(invitations.status, "pending"), notExpired(invitations.expiresAt)))
    .orderBy(organizations.name)
    .limit(50);
}

/**
 * Creates an account from an invitation link: the email is the invited one (the
 * form shows it locked; anything sent instead is ignored) and is verified, since
 * the link came to that address. The caller signs the user in and returns to the
 * invitation page, where joining is an explicit step.
 */
export async function signUpFromInvitation(db: Db, input: { token: unknown; name: unknown; password: unknown }): Promise<User> {
  const view = await viewInvitation(db, input.token);
  if (view.state !== "pending" || !view.email)
    throw new AppError("not_found", STATE_MESSAGES[view.state === "pending" ? "not_found" : view.state]);
  const account = parseSignUp({ name: input.name, email: view.email, password: input.password });
  const passwordHash = await hashPassword(account.password);
  const [created] = await db
    .insert(users)
    .values({ email: account.email, name: account.name, passwordHash, emailVerifiedAt: sql`now()` })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!created) throw new AppError("conflict", `An account already exists for ${account.email}. Sign in to join.`);
  return created;
}

import "server-only";

import { and, asc, eq, sql } from "drizzle-orm";
import { createElement } from "react";

import type { Db } from "@/db";
import { invitations, memberships, users, type Invitation } from "@/db/schema";
import InvitationEmail, { invitationSubject } from "@/emails/invitation";
import { recordActivity } from "@/lib/activity/record";
import { requireVerifiedEmail } from "@/lib/auth/verified-email";
import type { Actor } from "@/lib/core/actor";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { hasExpired } from "@/lib/core/expiry";
import { uuidOrUndefined } from "@/lib/core/ids";
import { hashToken, newSecretToken } from "@/lib/core/secure-token";
import { inTransaction } from "@/lib/core/transaction";
import { appUrl } from "@/lib/core/urls";
import { queueEmail } from "@/lib/mail/send";
import { lockOrgForMember, requireMembership, type OrgRef } from "@/lib/orgs/access";
import { parseRole, roleGrantRefusal } from "@/lib/orgs/roles";
import { assertSeatAvailable, hasFreeSeat, seatsUsed } from "@/lib/orgs/seats";
import type { InviteOutcome, InviteStatus } from "@/lib/shared/invitations";
import { seatLimit, seatLimitMessage } from "@/lib/shared/plans";
import type { Role } from "@/lib/shared/roles";
import { emailSchema } from "@/lib/shared/validation";

import { invitationLimitProblem } from "./limits";

export const INVITATION_LIFETIME_DAYS = 7;
export const MAX_EMAILS_PER_INVITE = 20;

/** How long after a send an invitation can be sent again (INVITE_RESEND_COOLDOWN_SECONDS). */
export function resendCooldownSeconds(): number {
  return env().INVITE_RESEND_COOLDOWN_SECONDS;
}

export type { InviteOutcome, InviteStatus };

const expiresIn7Days = sql`now() + make_interval(days => ${INVITATION_LIFETIME_DAYS})`;

/** Splits what was typed (commas, spaces, new lines) into addresses, keeping order. */
export function splitEmails(raw: unknown): string[] {
  if (typeof raw !== "string") return [];
  return raw
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

interface PendingMail {
  email: string;
  token: string;
  expiresAt: Date;
}

/**
 * Invites up to 20 addresses to the org and says, per address, what happened.
 * One transaction under the org row lock: seats (members + pending invitations)
 * and the daily invitation limit cannot be overrun by parallel requests.
 * Each e-mail is queued in the same transaction: an invitation exists with its e-mail or not at all.
 */
export async function inviteMembers(
  db: Db,
  actor: Actor,
  input: { org: OrgRef; emails: unknown; role?: unknown },
): Promise<InviteOutcome[]> {
  const typed = splitEmails(input.emails);
  // The role the invitees get on joining: member unless said.
  const invitedRole = input.role === undefined || input.role === null || input.role === "" ? "member" : parseRole(input.role);
  if (typed.length === 0)
    throw new AppError("validation", "Enter at least one email address.", { emails: ["Enter at least one email address."] });
  if (typed.length > MAX_EMAILS_PER_INVITE) {
    const message = `Invite at most ${MAX_EMAILS_PER_INVITE} addresses at once (you entered ${typed.length}).`;
    throw new AppError("validation", message, { emails: [message] });
  }

  return inTransaction(db, async (tx) => {
    const { org, role } = await lockOrgForMember(tx, actor.userId, input.org, "invitations.manage");
    const refusal = roleGrantRefusal(role, invitedRole);
    if (refusal) throw new AppError("forbidden", refusal, { role: [refusal] });
    await requireVerifiedEmail(tx, actor.userId, "invite anyone");
    const limit = seatLimit(org);
    const used = await seatsUsed(tx, org.id);
    let seatsTaken = used.members + used.pending;
    const outcomes: InviteOutcome[] = [];
    const seen = new Set<string>();

    for (const raw of typed) {
      const parsed = emailSchema.safeParse(raw);
      if (!parsed.success) {
        outcomes.push({
          email: raw.slice(0, 254),
          status: "invalid",
          message: parsed.error.issues[0]?.message ?? "Not a valid email address.",
        });
        continue;
      }
      const email = parsed.data;
      if (seen.has(email)) {
        outcomes.push({ email, status: "duplicate", message: "Listed more than once: invited once." });
        continue;
      }
      seen.add(email);
      const [member] = await tx
        .select({ userId: users.id })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.orgId, org.id), eq(users.email, email)));
      if (member) {
        outcomes.push({ email, status: "already_member", message: "Already a member." });
        continue;
      }
      const [pending] = await tx
        .select({ id: invitations.id, expired: hasExpired(invitations.expiresAt) })
        .from(invitations)
        .where(and(eq(invitations.orgId, org.id), eq(invitations.email, email), eq(invitations.status, "pending")));
      if (pending && !pending.expired) {
        outcomes.push({ email, status: "already_invited", message: "Already invited: resend it from the invitations page." });
        continue;
      }
      if (limit !== null && !hasFreeSeat(limit, seatsTaken)) {
        outcomes.push({ email, status: "no_seat", message: seatLimitMessage(limit, org) });
        continue;
      }
      const overLimit = await invitationLimitProblem(tx, org.id, actor);
      if (overLimit) {
        outcomes.push({ email, status: "rate_limited", message: overLimit });
        continue;
      }
      const token = newSecretToken();
      const values = {
        tokenHash: hashToken(token),
        expiresAt: expiresIn7Days,
        lastSentAt: sql`now()`,
        invitedBy: actor.userId,
        invitedByName: actor.name,
        role: invitedRole,
      };
      // An expired invitation to the same address is renewed rather than duplicated.
      const [invitation] = pending
        ? await tx
            .update(invitations)
            .set({ ...values, sendCount: sql`${invitations.sendCount} + 1` })
            .where(and(eq(invitations.id, pending.id), eq(invitations.orgId, org.id)))
            .returning()
        : await tx
            .insert(invitations)
            .values({ ...values, orgId: org.id, email })
            .returning();
      if (!invitation) throw new Error("invitation write returned nothing");
      seatsTaken += 1;
      await recordActivity(tx, {
        orgId: org.id,
        actor,
        type: "invitation.sent",
        target: { type: "invitation", id: invitation.id, label: email },
        metadata: { role: invitedRole },
      });
      outcomes.push({ email, status: "invited", message: "Invitation sent." });
      await queueInvitationEmail(tx, {
        email,
        token,
        expiresAt: invitation.expiresAt,
        inviterName: actor.name,
        orgName: org.name,
        requiresTwoFactor: org.requireTwoFactor,
      });
    }
    return outcomes;
  });
}

async function queueInvitationEmail(tx: Db, mail: PendingMail & { inviterName: string; orgName: string; requiresTwoFactor: boolean }) {
  await queueEmail(tx, {
    template: "invitation",
    to: mail.email,
    subject: invitationSubject(mail.orgName),
    react: createElement(InvitationEmail, {
      inviterName: mail.inviterName,
      orgName: mail.orgName,
      requiresTwoFactor: mail.requiresTwoFactor,
      joinUrl: appUrl(`/invitations/${mail.token}`),
      expiresAt: mail.expiresAt,
    }),
    secrets: [mail.token],
  });
}

/** Finds a pending invitation of the locked org by id; another org's id is "not found". */
async function pendingInvitationOf(tx: Db, orgId: string, invitationId: unknown): Promise<Invitation> {
  const id = uuidOrUndefined(invitationId);
  const [invitation] = id
    ? await tx
        .select()
        .from(invitations)
        .where(and(eq(invitations.id, id), eq(invitations.orgId, orgId), eq(invitations.status, "pending")))
        .for("update")
    : [];
  if (!invitation) throw new AppError("not_found", "This invitation no longer exists: it was accepted, declined or removed.");
  return invitation;
}

/**
 * Sends the invitation again with a new link and a new 7-day expiry; the old link
 * stops working. At most once a minute per invitation (INVITE_RESEND_COOLDOWN_SECONDS).
 */
export async function resendInvitation(db: Db, actor: Actor, input: { org: OrgRef; invitationId: unknown }): Promise<{ email: string }> {
  return inTransaction(db, async (tx) => {
    const { org, role } = await lockOrgForMember(tx, actor.userId, input.org, "invitations.manage");
    await requireVerifiedEmail(tx, actor.userId, "invite anyone");
    const invitation = await pendingInvitationOf(tx, org.id, input.invitationId);
    // A new link to an owner's invitation appoints an owner: only owners may send it.
    const refusal = roleGrantRefusal(role, invitation.role);
    if (refusal) throw new AppError("forbidden", refusal);
    const [timing] = await tx
      .select({
        waitSeconds: sql<number>`ceil(extract(epoch from (${invitations.lastSentAt} + make_interval(secs => ${resendCooldownSeconds()}) - now())))::int`,
        expired: hasExpired(invitations.expiresAt),
      })
      .from(invitations)
      .where(eq(invitations.id, invitation.id));
    if (timing && timing.waitSeconds > 0) {
      throw new AppError("rate_limited", `This invitation was just sent. You can send it again in ${timing.waitSeconds} s.`);
    }
    if (timing?.expired) {
      // An expired invitation holds no seat; sending it again takes one.
      await assertSeatAvailable(tx, org);
    }
    const overLimit = await invitationLimitProblem(tx, org.id, actor);
    if (overLimit) throw new AppError("rate_limited", overLimit);
    const token = newSecretToken();
    const [renewed] = await tx
      .update(invitations)
      .set({ tokenHash: hashToken(token), expiresAt: expiresIn7Days, lastSentAt: sql`now()`, sendCount: sql`${invitations.sendCount} + 1` })
      .where(and(eq(invitations.id, invitation.id), eq(invitations.orgId, org.id)))
      .returning();
    if (!renewed) throw new Error("invitation update returned nothing");
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: "invitation.resent",
      target: { type: "invitation", id: invitation.id, label: invitation.email },
    });
    await queueInvitationEmail(tx, {
      email: invitation.email,
      token,
      expiresAt: renewed.expiresAt,
      inviterName: actor.name,
      orgName: org.name,
      requiresTwoFactor: org.requireTwoFactor,
    });
    return { email: invitation.email };
  });
}

/** Withdraws a pending invitation: its link then shows "removed". */
export async function removeInvitation(db: Db, actor: Actor, input: { org: OrgRef; invitationId: unknown }): Promise<{ email: string }> {
  return inTransaction(db, async (tx) => {
    const { org } = await lockOrgForMember(tx, actor.userId, input.org, "invitations.manage");
    const invitation = await pendingInvitationOf(tx, org.id, input.invitationId);
    await tx
      .update(invitations)
      .set({ status: "removed", respondedAt: sql`now()`, respondedBy: actor.userId })
      .where(and(eq(invitations.id, invitation.id), eq(invitations.orgId, org.id)));
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: "invitation.removed",
      target: { type: "invitation", id: invitation.id, label: invitation.email },
    });
    return { email: invitation.email };
  });
}

export interface PendingInvitationRow {
  id: string;
  email: string;
  invitedByName: string;
  lastSentAt: Date;
  expiresAt: Date;
  expired: boolean;
  sendCount: number;
  role: Role;
}

/** Pending invitations of an org the user belongs to, expired ones included (they can be resent or removed). */
export async function listPendingInvitations(db: Db, userId: string, orgRef: OrgRef): Promise<PendingInvitationRow[]> {
  const { org } = await requireMembership(db, userId, orgRef);
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      invitedByName: invitations.invitedByName,
      lastSentAt: invitations.lastSentAt,
      expiresAt: invitations.expiresAt,
      expired: hasExpired(invitations.expiresAt),
      sendCount: invitations.sendCount,
      role: invitations.role,
    })
    .from(invitations)
    .where(and(eq(invitations.orgId, org.id), eq(invitations.status, "pending")))
    .orderBy(asc(invitations.createdAt))
    .limit(500);
}

import "server-only";

import { z } from "zod";

import { AppError } from "@/lib/core/errors";
import {
  inviteMembers,
  listPendingInvitations,
  MAX_EMAILS_PER_INVITE,
  removeInvitation,
  resendInvitation,
  type InviteStatus,
} from "@/lib/invitations/invite";
import { ROLES } from "@/lib/shared/roles";

import { defineEndpoint } from "../endpoint";
import { idParams, iso, timestamp, uuid } from "../schemas";

export const invitationSchema = z
  .object({
    id: uuid,
    email: z.string(),
    invitedByName: z.string(),
    lastSentAt: timestamp,
    expiresAt: timestamp,
    expired: z.boolean().meta({ description: "An expired invitation holds no seat; resend it to renew it." }),
    sendCount: z.number().int(),
    role: z.enum(ROLES).meta({ description: "The role the invitee gets on joining." }),
  })
  .meta({ id: "Invitation" });

const inviteStatuses = [
  "invited",
  "already_member",
  "already_invited",
  "invalid",
  "duplicate",
  "no_seat",
  "rate_limited",
] as const satisfies readonly InviteStatus[];

export const inviteOutcomeSchema = z
  .object({
    email: z.string(),
    status: z.enum(inviteStatuses),
    message: z.string(),
  })
  .meta({ id: "InviteOutcome" });

const emailsMessage = `List 1 to ${MAX_EMAILS_PER_INVITE} email addresses.`;

export const inviteBodySchema = z.strictObject({
  emails: z
    .union(
      [
        z
          .array(z.string({ error: "Each address is a string." }).max(1000), { error: emailsMessage })
          .min(1, emailsMessage)
          .max(MAX_EMAILS_PER_INVITE, emailsMessage),
        z.string().max(100_000).meta({ description: "Addresses separated by commas, spaces or new lines." }),
      ],
      { error: emailsMessage },
    )
    .meta({ example: ["ada@example.com", "grace@example.com"] }),
  role: z
    .enum(ROLES, { error: `Use one of: ${ROLES.join(", ")}.` })
    .optional()
    .meta({
      description: "The role every invitee gets on joining; member unless said. Admins invite up to admin; only owners invite owners.",
    }),
});

type InvitationRow = Awaited<ReturnType<typeof listPendingInvitations>>[number];
const toInvitation = (row: InvitationRow) => ({ ...row, lastSentAt: iso(row.lastSentAt), expiresAt: iso(row.expiresAt) });

export const listInvitationsEndpoint = defineEndpoint({
  method: "GET",
  path: "/invitations",
  operationId: "listInvitations",
  tag: "Invitations",
  summary: "List pending invitations",
  description: "Pending invitations, oldest first, expired ones included (they can be resent or removed).",
  response: z.object({ data: z.array(invitationSchema) }),
  responseDescription: "Pending invitations.",
  handler: async (db, ctx) => ({ data: (await listPendingInvitations(db, ctx.actor.userId, { id: ctx.org.id })).map(toInvitation) }),
});

export const inviteMembersEndpoint = defineEndpoint({
  method: "POST",
  path: "/invitations",
  operationId: "inviteMembers",
  tag: "Invitations",
  summary: "Invite people by email",
  description:
    `Up to ${MAX_EMAILS_PER_INVITE} addresses at once. Each address gets its own outcome: invited, or why not ` +
    "(already a member, already invited, invalid, listed twice, no seat left on the plan, daily invitation limit).",
  body: inviteBodySchema,
  response: z.object({ data: z.array(inviteOutcomeSchema) }),
  responseDescription: "One outcome per address, in the order given.",
  errors: [422],
  handler: async (db, ctx, { body }) => {
    const emails = Array.isArray(body.emails) ? body.emails.join("\n") : body.emails;
    return { data: await inviteMembers(db, ctx.actor, { org: { id: ctx.org.id }, emails, role: body.role }) };
  },
});

export const resendInvitationEndpoint = defineEndpoint({
  method: "POST",
  path: "/invitations/{id}/resend",
  operationId: "resendInvitation",
  tag: "Invitations",
  summary: "Send an invitation again",
  description: "Sends a new link with a new 7-day expiry; the old link stops working. At most once a minute per invitation.",
  params: idParams("invitation"),
  response: invitationSchema,
  responseDescription: "The invitation, renewed.",
  errors: [404, 409],
  handler: async (db, ctx, { params }) => {
    await resendInvitation(db, ctx.actor, { org: { id: ctx.org.id }, invitationId: params.id });
    const renewed = (await listPendingInvitations(db, ctx.actor.userId, { id: ctx.org.id })).find((row) => row.id === params.id);
    // Removed or accepted in the instant since: say so rather than describe a stale invitation.
    if (!renewed) throw new AppError("not_found", "This invitation no longer exists: it was accepted, declined or removed.");
    return toInvitation(renewed);
  },
});

export const removeInvitationEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/invitations/{id}",
  operationId: "removeInvitation",
  tag: "Invitations",
  summary: "Remove a pending invitation",
  description: "Its link then says the invitation was removed.",
  params: idParams("invitation"),
  responseDescription: "Removed.",
  errors: [404],
  handler: async (db, ctx, { params }) => {
    await removeInvitation(db, ctx.actor, { org: { id: ctx.org.id }, invitationId: params.id });
  },
});

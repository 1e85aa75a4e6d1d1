import "server-only";

import { z } from "zod";

import { getMember, listMembers, removeMember } from "@/lib/orgs/members";
import { changeMemberRole } from "@/lib/orgs/roles";
import { ROLES } from "@/lib/shared/roles";

import { defineEndpoint } from "../endpoint";
import { cursorParam, idParams, iso, limitParam, nextCursor, timestamp, uuid } from "../schemas";

export const memberSchema = z
  .object({
    id: uuid.meta({ description: "The member's user id." }),
    name: z.string(),
    email: z.string(),
    role: z.enum(ROLES).meta({ description: "What the member may do: owner, admin, member, billing (billing manager) or viewer." }),
    joinedAt: timestamp,
  })
  .meta({ id: "Member" });

const toMember = (member: { userId: string; name: string; email: string; role: (typeof ROLES)[number]; joinedAt: Date }) => ({
  id: member.userId,
  name: member.name,
  email: member.email,
  role: member.role,
  joinedAt: iso(member.joinedAt),
});

export const listMembersEndpoint = defineEndpoint({
  method: "GET",
  path: "/members",
  operationId: "listMembers",
  tag: "Members",
  summary: "List members",
  description: "Oldest member first, 50 per page unless `limit` says otherwise.",
  query: z.object({
    q: z.string().max(100, "Search with at most 100 characters.").optional().meta({ description: "Part of a name or an email address." }),
    role: z
      .enum(ROLES, { error: `Use one of: ${ROLES.join(", ")}.` })
      .optional()
      .meta({ description: "Only members with this role." }),
    cursor: cursorParam,
    limit: limitParam,
  }),
  response: z.object({
    data: z.array(memberSchema),
    total: z.number().int().meta({ description: "Members matching `q`, over all pages." }),
    nextCursor,
  }),
  responseDescription: "One page of members.",
  errors: [422],
  handler: async (db, ctx, { query }) => {
    const page = await listMembers(
      db,
      ctx.actor.userId,
      { id: ctx.org.id },
      { query: query.q, role: query.role, cursor: query.cursor, limit: query.limit },
    );
    return {
      data: page.members.map(toMember),
      total: page.total,
      nextCursor: page.nextCursor ?? null,
    };
  },
});

export const removeMemberEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/members/{id}",
  operationId: "removeMember",
  tag: "Members",
  summary: "Remove a member",
  description:
    "Removes another member at once (the API call is itself the confirmation). Their API tokens stop working. " +
    "To remove yourself, leave the organization in the console; the last member can never be removed.",
  params: idParams("member"),
  responseDescription: "Removed.",
  errors: [404, 409, 422],
  handler: async (db, ctx, { params }) => {
    await removeMember(db, ctx.actor, { org: { id: ctx.org.id }, userId: params.id });
  },
});

export const changeMemberRoleEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/members/{id}",
  operationId: "changeMemberRole",
  tag: "Members",
  summary: "Change a member's role",
  description:
    "Owners give any role; admins give roles up to admin and cannot change an owner. The last owner cannot be demoted. " +
    "Takes effect at once, for the member's API tokens too; the member is e-mailed.",
  params: idParams("member"),
  body: z.strictObject({ role: z.enum(ROLES, { error: `Use one of: ${ROLES.join(", ")}.` }) }),
  response: memberSchema,
  responseDescription: "The member, with the new role.",
  errors: [404, 409, 422],
  handler: async (db, ctx, { params, body }) => {
    await changeMemberRole(db, ctx.actor, { org: { id: ctx.org.id }, userId: params.id, role: body.role });
    return toMember(await getMember(db, ctx.actor.userId, { id: ctx.org.id }, params.id));
  },
});

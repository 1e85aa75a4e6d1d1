import "server-only";

import { z } from "zod";
import { listMembers, removeMember } from "@/lib/orgs/members";
import { defineEndpoint } from "../endpoint";
import { cursorParam, idParams, iso, limitParam, nextCursor, timestamp, uuid } from "../schemas";

export const memberSchema = z
  .object({
    id: uuid.meta({ description: "The member's user id." }),
    name: z.string(),
    email: z.string(),
    joinedAt: timestamp,
  })
  .meta({ id: "Member" });

export const listMembersEndpoint = defineEndpoint({
  method: "GET",
  path: "/members",
  operationId: "listMembers",
  tag: "Members",
  summary: "List members",
  description: "Oldest member first, 50 per page unless `limit` says otherwise.",
  query: z.object({
    q: z.string().max(100, "Search with at most 100 characters.").optional().meta({ description: "Part of a name or an email address." }),
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
    const page = await listMembers(db, ctx.actor.userId, { id: ctx.org.id }, { query: query.q, cursor: query.cursor, limit: query.limit });
    return {
      data: page.members.map((member) => ({ id: member.userId, name: member.name, email: member.email, joinedAt: iso(member.joinedAt) })),
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

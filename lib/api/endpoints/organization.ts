import "server-only";

import { z } from "zod";

import { getOrgOverview } from "@/lib/orgs/organizations";
import { PLANS, seatLimit } from "@/lib/shared/plans";

import { defineEndpoint } from "../endpoint";
import { iso, timestamp, uuid } from "../schemas";

export const organizationSchema = z
  .object({
    id: uuid,
    name: z.string().meta({ example: "acme" }),
    plan: z.string().meta({ description: `The plan: ${Object.keys(PLANS).join(", ")}.`, example: "starter" }),
    memberCount: z.number().int(),
    seatLimit: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Members the plan allows (pending invitations take a seat too); null: unlimited." }),
    createdAt: timestamp,
  })
  .meta({ id: "Organization" });

export const getOrganizationEndpoint = defineEndpoint({
  method: "GET",
  path: "/organization",
  operationId: "getOrganization",
  tag: "Organization",
  summary: "The token's organization",
  response: organizationSchema,
  responseDescription: "The organization the token belongs to.",
  handler: async (db, ctx) => {
    const { org, memberCount } = await getOrgOverview(db, ctx.actor.userId, { id: ctx.org.id });
    return { id: org.id, name: org.name, plan: org.plan, memberCount, seatLimit: seatLimit(org), createdAt: iso(org.createdAt) };
  },
});

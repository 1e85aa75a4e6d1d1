import "server-only";

import { z } from "zod";

import { listActivities } from "@/lib/activity/feed";
import { activitiesQuerySchema, parseActivityFilters } from "@/lib/activity/filters";
import { toActivityView } from "@/lib/activity/view";

import { defineEndpoint } from "../endpoint";
import { nextCursor, timestamp, uuid } from "../schemas";

const nullableText = z.string().nullable();

export const activitySchema = z
  .object({
    id: z.number().int(),
    type: z.string().meta({ description: "`object.verb`, e.g. `app.created`.", example: "app.created" }),
    object: z
      .string()
      .meta({ description: "organization, member, invitation, api_token, app, secret, plan, billing, payment_method (or other)." }),
    colour: z.enum(["green", "red", "blue", "grey"]),
    sentence: z.string().meta({ description: "What happened, as the console says it; ends with “using API token NAME” for API changes." }),
    actorName: z.string(),
    actorEmail: nullableText,
    actorUserId: uuid.nullable(),
    actorTokenId: uuid.nullable().meta({ description: "The API token used, if any." }),
    actorTokenName: nullableText,
    targetType: nullableText,
    targetId: nullableText,
    targetLabel: nullableText,
    targetHref: nullableText.meta({ description: "The console page about the target, relative to the console's URL." }),
    metadata: z.record(z.string(), z.unknown()).meta({ description: "Details of the change, e.g. `{ from, to }` for a rename." }),
    ip: nullableText,
    userAgent: nullableText,
    createdAt: timestamp,
  })
  .meta({ id: "Activity" });

export const listActivitiesEndpoint = defineEndpoint({
  method: "GET",
  path: "/activities",
  operationId: "listActivities",
  tag: "Activity",
  summary: "List the activity stream",
  description: "Newest first, 50 per page unless `limit` says otherwise; filters as on the activity page.",
  query: activitiesQuerySchema,
  response: z.object({ data: z.array(activitySchema), nextCursor }),
  responseDescription: "One page of activity entries.",
  errors: [422],
  handler: async (db, ctx, { query }) => {
    // The page's own reading of the filters, so `to` means the same inclusive day.
    const filters = parseActivityFilters({ type: query.type, actor: query.actor, from: query.from, to: query.to });
    const page = await listActivities(db, ctx.actor.userId, { id: ctx.org.id }, { ...filters, cursor: query.cursor, limit: query.limit });
    return {
      data: page.entries.map((entry) => ({
        ...toActivityView(entry, ctx.org.name),
        actorUserId: entry.actorUserId,
        actorTokenId: entry.actorTokenId,
        actorTokenName: entry.actorTokenName,
        targetType: entry.targetType,
        targetId: entry.targetId,
        metadata: entry.metadata,
        ip: entry.ip,
        userAgent: entry.userAgent,
      })),
      nextCursor: page.nextCursor ?? null,
    };
  },
});

import { z } from "zod";
import { listActivities, parseActivityFilters } from "@/lib/activity/feed";
import { ACTIVITY_TYPES, type ActivityType } from "@/lib/activity/types";
import { toActivityView } from "@/lib/activity/view";
import { isCalendarDate } from "@/lib/core/keyset-cursor";
import { defineEndpoint } from "../endpoint";
import { cursorParam, limitParam, nextCursor, timestamp, UUID_PATTERN, uuid } from "../schemas";

const activityTypes = Object.keys(ACTIVITY_TYPES) as [ActivityType, ...ActivityType[]];

/** The days the activity page accepts (lib/keyset-cursor isCalendarDate); the page drops others, the API says so. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-01-31.")
  .refine((value) => {
    const [year, month, date] = value.split("-").map(Number) as [number, number, number];
    return isCalendarDate(year, month, date);
  }, "Use a date that exists, from 1900 on.")
  .optional();

export const activitiesQuerySchema = z
  .object({
    type: z
      .array(z.enum(activityTypes, { error: `Use one of: ${activityTypes.join(", ")}.` }))
      .optional()
      .meta({ description: "Only these kinds of change; repeat the parameter for several (`type=app.created&type=app.deleted`)." }),
    actor: z.string().regex(UUID_PATTERN, "Use a member's user id (a UUID).").optional().meta({ description: "Only changes made by this user id." }),
    from: day.meta({ description: "From this day on (UTC, inclusive), YYYY-MM-DD." }),
    to: day.meta({ description: "Up to this day (UTC, inclusive), YYYY-MM-DD." }),
    cursor: cursorParam,
    limit: limitParam,
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { path: ["to"], message: "Use a `to` day on or after `from`." });

const nullableText = z.string().nullable();

export const activitySchema = z
  .object({
    id: z.number().int(),
    type: z.string().meta({ description: "`object.verb`, e.g. `app.created`.", example: "app.created" }),
    object: z.string().meta({ description: "organization, member, invitation, api_token, app, secret, plan, billing, payment_method (or other)." }),
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
    const page = await listActivities(db, ctx.actor.userId, ctx.org.name, { ...filters, cursor: query.cursor, limit: query.limit });
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

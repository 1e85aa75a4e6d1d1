import "server-only";

import { z } from "zod";

import { cursorParam, limitParam, UUID_PATTERN } from "@/lib/api/schemas";
import { uuidOrUndefined } from "@/lib/core/ids";
import { isCalendarDate } from "@/lib/core/keyset-cursor";

import { ACTIVITY_TYPES, isActivityType, type ActivityType } from "./types";

/**
 * The filters of the activity stream, in one place for every reader: the page
 * and the JSON feed and the export read them leniently (a bad value is dropped,
 * so an old shared link still opens), the REST API strictly (a bad value is a
 * 422 that says why), and toQuery writes the canonical query string back.
 */
/** The filters of the activity page, the API and the CSV export; all optional. */
export interface ActivityFilters {
  types?: ActivityType[];
  actorId?: string;
  /** Inclusive start (UTC) */
  from?: Date;
  /** Exclusive end (UTC) */
  to?: Date;
}

/** A YYYY-MM-DD that exists on the calendar, as UTC midnight; anything else is dropped. */
function dayStart(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  return isCalendarDate(year, month, day) ? new Date(Date.UTC(year, month - 1, day)) : undefined;
}

/**
 * Reads filters from URL-style parameters (`type` repeated or comma-separated,
 * `actor`, `from` and `to` as YYYY-MM-DD, `to` inclusive). Unknown values are
 * dropped rather than refused, so an old shared link still opens.
 */
export function parseActivityFilters(params: { type?: string | string[]; actor?: string; from?: string; to?: string }): ActivityFilters {
  const rawTypes = (Array.isArray(params.type) ? params.type : params.type ? [params.type] : []).flatMap((value) => value.split(","));
  const types = [...new Set(rawTypes.filter(isActivityType))];
  const from = dayStart(params.from);
  const toDay = dayStart(params.to);
  const to = toDay ? new Date(toDay.getTime() + 86_400_000) : undefined;
  return {
    types: types.length ? types : undefined,
    actorId: uuidOrUndefined(params.actor),
    from,
    to,
  };
}

/** The same filters, leniently, from a URL's query string (the JSON feed, the export, the REST API). */
export function activityFiltersFromQuery(query: URLSearchParams): ActivityFilters {
  return parseActivityFilters({
    type: query.getAll("type"),
    actor: query.get("actor") ?? undefined,
    from: query.get("from") ?? undefined,
    to: query.get("to") ?? undefined,
  });
}

/** The canonical query string of applied filters (the page's links, the feed, the export, the component keys). */
export function activityFiltersToQuery(filters: ActivityFilters): string {
  const query = new URLSearchParams();
  for (const type of filters.types ?? []) query.append("type", type);
  if (filters.actorId) query.set("actor", filters.actorId);
  if (filters.from) query.set("from", filters.from.toISOString().slice(0, 10));
  // `to` is held exclusive (the next midnight) and written inclusive, as typed.
  if (filters.to) query.set("to", new Date(filters.to.getTime() - 86_400_000).toISOString().slice(0, 10));
  return query.toString();
}

const activityTypes = Object.keys(ACTIVITY_TYPES) as [ActivityType, ...ActivityType[]];

/** The days the activity page accepts ; the page drops others, the API says why. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-01-31.")
  .refine((value) => {
    const [year, month, date] = value.split("-").map(Number) as [number, number, number];
    return isCalendarDate(year, month, date);
  }, "Use a date that exists, from 1900 on.")
  .optional();

/** The strict form, for the REST API: the same filters, plus paging. */
export const activitiesQuerySchema = z
  .object({
    type: z
      .array(z.enum(activityTypes, { error: `Use one of: ${activityTypes.join(", ")}.` }))
      .optional()
      .meta({ description: "Only these kinds of change; repeat the parameter for several (`type=app.created&type=app.deleted`)." }),
    actor: z
      .string()
      .regex(UUID_PATTERN, "Use a member's user id (a UUID).")
      .optional()
      .meta({ description: "Only changes made by this user id." }),
    from: day.meta({ description: "From this day on (UTC, inclusive), YYYY-MM-DD." }),
    to: day.meta({ description: "Up to this day (UTC, inclusive), YYYY-MM-DD." }),
    cursor: cursorParam,
    limit: limitParam,
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, { path: ["to"], message: "Use a `to` day on or after `from`." });

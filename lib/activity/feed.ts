import { and, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db";
import { activities, type Activity } from "@/db/schema";
import { ACTIVITY_TYPES, isActivityType, type ActivityType } from "./types";
import { decodeKeysetCursor, encodeKeysetCursor, isCalendarDate, isTimestampText } from "@/lib/core/keyset-cursor";
import { requireMembership } from "@/lib/orgs/memberships";
import { uuidOrUndefined } from "@/lib/core/ids";

export const ACTIVITY_PAGE_SIZE = 50;

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

/** The same filters from a URL's query string (the JSON feed, the export, the REST API). */
export function activityFiltersFromQuery(query: URLSearchParams): ActivityFilters {
  return parseActivityFilters({
    type: query.getAll("type"),
    actor: query.get("actor") ?? undefined,
    from: query.get("from") ?? undefined,
    to: query.get("to") ?? undefined,
  });
}

interface Cursor {
  /** created_at as Postgres prints it (microseconds); see lib/keyset-cursor.ts. */
  at: string;
  id: number;
}

function decodeCursor(value: unknown): Cursor | undefined {
  const parsed = decodeKeysetCursor<Cursor>(value);
  if (!parsed || !isTimestampText(parsed.at) || !Number.isSafeInteger(parsed.id)) return undefined;
  return { at: parsed.at, id: parsed.id! };
}

function filterConditions(orgId: string, filters: ActivityFilters): SQL[] {
  const conditions: SQL[] = [eq(activities.orgId, orgId)];
  if (filters.types?.length === 1) conditions.push(eq(activities.type, filters.types[0]!));
  else if (filters.types?.length) conditions.push(inArray(activities.type, filters.types));
  if (filters.actorId) conditions.push(eq(activities.actorUserId, filters.actorId));
  if (filters.from) conditions.push(gte(activities.createdAt, filters.from));
  if (filters.to) conditions.push(lt(activities.createdAt, filters.to));
  return conditions;
}

/** Entries strictly older than the cursor, in (created_at, id) order: the index's own order. */
function olderThan(cursor: Cursor): SQL {
  return sql`(${activities.createdAt}, ${activities.id}) < (${cursor.at}::timestamptz, ${cursor.id}::bigint)`;
}

export interface ActivityPage {
  entries: Activity[];
  nextCursor?: string;
}

/** Reads one page without checking membership: callers have done it (see listActivities). */
export async function readActivityPage(db: Db, orgId: string, filters: ActivityFilters, cursor?: unknown, limit = ACTIVITY_PAGE_SIZE): Promise<ActivityPage> {
  const after = decodeCursor(cursor);
  const rows = await db
    .select({ entry: activities, at: sql<string>`${activities.createdAt}::text` })
    .from(activities)
    .where(and(...filterConditions(orgId, filters), after ? olderThan(after) : undefined))
    .orderBy(desc(activities.createdAt), desc(activities.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map((row) => row.entry),
    nextCursor: rows.length > limit && last ? encodeKeysetCursor({ at: last.at, id: last.entry.id } satisfies Cursor) : undefined,
  };
}

/**
 * A page of an org's activity stream, newest first, with keyset pagination on
 * (created_at, id): a page deep in the history costs what the first one does,
 * and entries that arrive while paging never shift or repeat a page.
 */
export async function listActivities(
  db: Db,
  userId: string,
  orgName: unknown,
  options: ActivityFilters & { cursor?: unknown; limit?: number } = {},
): Promise<ActivityPage & { orgId: string }> {
  const { org } = await requireMembership(db, userId, orgName);
  const limit = Math.min(Math.max(options.limit ?? ACTIVITY_PAGE_SIZE, 1), 200);
  return { ...(await readActivityPage(db, org.id, options, options.cursor, limit)), orgId: org.id };
}

/** The sentence of an entry, as the page, the API and the export say it. */
export function describeActivity(entry: Pick<Activity, "type" | "actorTokenName">): string {
  const kind = isActivityType(entry.type) ? ACTIVITY_TYPES[entry.type] : undefined;
  const sentence = kind?.sentence ?? entry.type;
  return entry.actorTokenName ? `${sentence} using API token ${entry.actorTokenName}` : sentence;
}

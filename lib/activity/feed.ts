import "server-only";

import { and, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";

import type { Db } from "@/db";
import { activities, type Activity } from "@/db/schema";
import { decodeKeysetCursor, encodeKeysetCursor, isTimestampText } from "@/lib/core/keyset-cursor";
import { requireMembership, type OrgRef } from "@/lib/orgs/access";

import type { ActivityFilters } from "./filters";
import { ACTIVITY_TYPES, isActivityType } from "./types";

export type { ActivityFilters };

export const ACTIVITY_PAGE_SIZE = 50;

interface Cursor {
  /** created_at as Postgres prints it (microseconds); see lib/core/keyset-cursor.ts. */
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
export async function readActivityPage(
  db: Db,
  orgId: string,
  filters: ActivityFilters,
  cursor?: unknown,
  limit = ACTIVITY_PAGE_SIZE,
): Promise<ActivityPage> {
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
  orgRef: OrgRef,
  options: ActivityFilters & { cursor?: unknown; limit?: number } = {},
): Promise<ActivityPage & { orgId: string; orgName: string }> {
  const { org } = await requireMembership(db, userId, orgRef);
  const limit = Math.min(Math.max(options.limit ?? ACTIVITY_PAGE_SIZE, 1), 200);
  return { ...(await readActivityPage(db, org.id, options, options.cursor, limit)), orgId: org.id, orgName: org.name };
}

/** The sentence of an entry, as the page, the API and the export say it. */
export function describeActivity(entry: Pick<Activity, "type" | "actorTokenName">): string {
  const kind = isActivityType(entry.type) ? ACTIVITY_TYPES[entry.type] : undefined;
  const sentence = kind?.sentence ?? entry.type;
  return entry.actorTokenName ? `${sentence} using API token ${entry.actorTokenName}` : sentence;
}

import "server-only";

import { and, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { activities } from "@/db/schema";
import { requireMembership, type OrgRef } from "@/lib/orgs/access";

import { filterConditions, olderThan, type ActivityFilters, type Cursor } from "./feed";
import { ACTIVITY_TYPES } from "./types";

const EXPORT_BATCH = 1000;

const COLUMNS = [
  "time_utc",
  "type",
  "sentence",
  "actor_name",
  "actor_email",
  "api_token",
  "target_type",
  "target",
  "ip",
  "user_agent",
  "metadata",
];

/**
 * One CSV field: quoted when needed, and defused when a spreadsheet would read it as a formula.
 * The export does the same in SQL (activity_csv_field, db/migrations/0013); tests hold them together.
 */
export function csvField(value: string | null | undefined): string {
  let text = value ?? "";
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const SENTENCES = JSON.stringify(Object.fromEntries(Object.entries(ACTIVITY_TYPES).map(([type, kind]) => [type, kind.sentence])));
const field = (value: SQL) => sql`activity_csv_field(${value})`;
type SQL = ReturnType<typeof sql>;

/**
 * A CSV record (with its CRLF) per entry, formatted by the database: the time as
 * JavaScript's toISOString() writes it (milliseconds, truncated as the driver's
 * Date does), describeActivity()'s sentence, and the metadata as JSON.stringify()
 * writes it, empty for `{}`.
 */
const record = sql`concat_ws(',',
  to_char(${activities.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  ${field(sql`${activities.type}`)},
  ${field(sql`coalesce(${SENTENCES}::jsonb ->> ${activities.type}, ${activities.type})
    || case when coalesce(${activities.actorTokenName}, '') <> '' then ' using API token ' || ${activities.actorTokenName} else '' end`)},
  ${field(sql`${activities.actorName}`)},
  ${field(sql`${activities.actorEmail}`)},
  ${field(sql`${activities.actorTokenName}`)},
  ${field(sql`${activities.targetType}`)},
  ${field(sql`${activities.targetLabel}`)},
  ${field(sql`${activities.ip}`)},
  ${field(sql`${activities.userAgent}`)},
  ${field(sql`case when ${activities.metadata} in ('{}', '[]', '""') or jsonb_typeof(${activities.metadata}) in ('number', 'boolean', 'null')
    then '' else activity_metadata_json(${activities.metadata}) end`)}
) || chr(13) || chr(10)`;

interface Batch {
  csv: string | null;
  n: number;
  at: string | null;
  id: string | number | null;
}

/** One keyset batch as one string, and where the next one starts. Both drivers; postgres.js answers rows, PGlite `{ rows }`. */
async function readBatch(db: Db, orgId: string, filters: ActivityFilters, after: Cursor | undefined): Promise<Batch> {
  const where = and(...filterConditions(orgId, filters), after ? olderThan(after) : undefined);
  const result = await db.execute(sql`
    select string_agg(page.record, '' order by page.created_at desc, page.id desc) as csv, count(*)::int as n,
      (array_agg(page.at order by page.created_at, page.id))[1] as at, (array_agg(page.id order by page.created_at, page.id))[1] as id
    from (
      select ${record} as record, ${activities.createdAt} as created_at, ${activities.id} as id, ${activities.createdAt}::text as at
      from ${activities} where ${where}
      order by ${activities.createdAt} desc, ${activities.id} desc
      limit ${sql.raw(String(EXPORT_BATCH))}
    ) page`);
  const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as Batch[];
  return rows[0] ?? { csv: null, n: 0, at: null, id: null };
}

/**
 * The filtered activity stream as CSV, newest first, produced a batch at a time
 * (keyset pages of 1,000, each formatted by the database into one string), so
 * memory stays flat however long the history is and Node does no work per row.
 * Membership is checked once, before the first byte.
 */
export async function exportActivitiesCsv(
  db: Db,
  userId: string,
  orgRef: OrgRef,
  filters: ActivityFilters,
): Promise<AsyncGenerator<string>> {
  const { org } = await requireMembership(db, userId, orgRef, "activity.export");
  return (async function* rows() {
    yield `${COLUMNS.join(",")}\r\n`;
    let after: Cursor | undefined;
    for (;;) {
      const batch = await readBatch(db, org.id, filters, after);
      if (batch.csv) yield batch.csv;
      if (batch.n < EXPORT_BATCH || !batch.at) return;
      after = { at: batch.at, id: Number(batch.id) };
    }
  })();
}

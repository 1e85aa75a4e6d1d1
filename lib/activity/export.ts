import "server-only";

import { copyOut, type Db } from "@/db";
import type { Activity } from "@/db/schema";
import { isUuid } from "@/lib/core/ids";
import { requireMembership, type OrgRef } from "@/lib/orgs/access";

import { describeActivity, readActivityPage, type ActivityFilters } from "./feed";
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

/** One CSV field: quoted when needed, and defused when a spreadsheet would read it as a formula. */
export function csvField(value: string | null | undefined): string {
  let text = value ?? "";
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(entry: Activity): string {
  return [
    entry.createdAt.toISOString(),
    entry.type,
    describeActivity(entry),
    entry.actorName,
    entry.actorEmail,
    entry.actorTokenName,
    entry.targetType,
    entry.targetLabel,
    entry.ip,
    entry.userAgent,
    Object.keys(entry.metadata).length ? JSON.stringify(entry.metadata) : "",
  ]
    .map(csvField)
    .join(",");
}

/**
 * The filtered activity stream as CSV (UTF-8 bytes), newest first. Membership is
 * checked once, before the first byte.
 *
 * On PostgreSQL it is one `COPY (SELECT …) TO STDOUT (FORMAT csv)` (copyStatement),
 * streamed as the server writes it, with each record's LF turned into CRLF: one
 * snapshot, no row objects in Node. Elsewhere (PGlite, whose COPY writes a whole file
 * before returning it) it is read in keyset batches of 1,000 and formatted here.
 * Both give the same bytes (tests/integration/activity-export-copy.test.ts).
 */
export async function exportActivitiesCsv(
  db: Db,
  userId: string,
  orgRef: OrgRef,
  filters: ActivityFilters,
): Promise<AsyncGenerator<Uint8Array>> {
  const { org } = await requireMembership(db, userId, orgRef, "activity.export");
  const statement = copyStatement(org.id, filters);
  const copied = statement ? copyOut(db, statement) : undefined;
  if (copied) return crlfRecords(copied);
  return exportInBatches(db, org.id, filters);
}

/** The export formatted in Node, a keyset batch of 1,000 at a time; memory stays flat. */
export async function* exportInBatches(db: Db, orgId: string, filters: ActivityFilters): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  yield encoder.encode(`${COLUMNS.join(",")}\r\n`);
  let cursor: string | undefined;
  do {
    const page = await readActivityPage(db, orgId, filters, cursor, EXPORT_BATCH);
    if (page.entries.length) yield encoder.encode(page.entries.map(csvRow).join("\r\n") + "\r\n");
    cursor = page.nextCursor;
  } while (cursor);
}

/** A SQL string literal (standard_conforming_strings, on since PostgreSQL 9.1: a backslash is itself). */
function literal(text: string): string {
  if (text.includes("\0")) throw new Error("A NUL byte cannot be sent in a SQL literal.");
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * csvField's rules in SQL, for a text expression: the leading ' before = + - @ TAB CR
 * (by code point: 9, 13, 43, 45, 61, 64), and '' as NULL, because COPY writes NULL as
 * an empty field and '' as "". The quoting itself is COPY's, which quotes exactly the
 * fields holding a comma, a quote, CR or LF, as csvField does.
 */
function defused(expression: string): string {
  return `case when ascii(${expression}) in (9, 13, 43, 45, 61, 64) then '''' || ${expression} else nullif(${expression}, '') end`;
}

/** describeActivity in SQL: the vocabulary's sentence (or the type itself), and the API token. */
const SENTENCE = `(case type ${Object.entries(ACTIVITY_TYPES)
  .map(([type, kind]) => `when ${literal(type)} then ${literal(kind.sentence)}`)
  .join(" ")} else type end) || case when actor_token_name <> '' then ' using API token ' || actor_token_name else '' end`;

/**
 * JSON.stringify of the metadata (what the JS export writes), from jsonb's text: the
 * same keys, order and string escapes, without the space jsonb prints after ':' and
 * ','. Removing every ", " and ": " is right unless a string holds one, and then the
 * result no longer reads back as the same jsonb: only then does a regex (which keeps
 * strings whole, and costs ~7 µs a row) do it. "" for {} and [].
 * It differs from JSON.stringify only for values lib/ never writes: keys that are
 * array indexes ("1"), which JavaScript orders first, and numbers JavaScript would print
 * differently (1e21, 1.50, integers beyond 2^53).
 */
const COMPACT = `replace(replace(metadata::text, ', ', ','), ': ', ':')`;
const METADATA = `case when metadata = '{}'::jsonb or metadata = '[]'::jsonb then null
  when jsonb_typeof(metadata) in ('object', 'array') then
    case when ${COMPACT}::jsonb = metadata then ${COMPACT}
    else regexp_replace(metadata::text, '("(?:[^"\\\\]|\\\\.)*")| ', '\\1', 'g') end
  when jsonb_typeof(metadata) = 'string' and metadata <> '""'::jsonb then metadata::text end`;

/**
 * The COPY statement of the filtered stream, or undefined when a filter is not one it
 * can inline (COPY takes no parameters): every value is checked first, an org or actor
 * id as a UUID, a type against the vocabulary, a date as a valid Date.
 */
export function copyStatement(orgId: string, filters: ActivityFilters): string | undefined {
  if (!isUuid(orgId)) return undefined;
  const where = [`org_id = ${literal(orgId)}`];
  if (filters.types?.length) {
    if (!filters.types.every((type) => Object.hasOwn(ACTIVITY_TYPES, type))) return undefined;
    where.push(`type in (${filters.types.map(literal).join(", ")})`);
  }
  if (filters.actorId !== undefined) {
    if (!isUuid(filters.actorId)) return undefined;
    where.push(`actor_user_id = ${literal(filters.actorId)}`);
  }
  for (const [bound, operator] of [
    [filters.from, ">="],
    [filters.to, "<"],
  ] as const) {
    if (bound === undefined) continue;
    if (!(bound instanceof Date) || Number.isNaN(bound.getTime())) return undefined;
    where.push(`created_at ${operator} ${literal(bound.toISOString())}::timestamptz`);
  }
  const select = [
    // Date#toISOString: milliseconds, truncated (as JavaScript parses Postgres' microseconds).
    `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as time_utc`,
    `${defused("type")} as type`,
    `${defused(`(${SENTENCE})`)} as sentence`,
    `${defused("actor_name")} as actor_name`,
    `${defused("actor_email")} as actor_email`,
    `${defused("actor_token_name")} as api_token`,
    `${defused("target_type")} as target_type`,
    `${defused("target_label")} as target`,
    `${defused("ip")} as ip`,
    `${defused("user_agent")} as user_agent`,
    `(${METADATA}) as metadata`,
  ];
  return `copy (select ${select.join(", ")} from activities where ${where.join(" and ")} order by created_at desc, id desc) to stdout with (format csv, header true)`;
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/**
 * COPY ends each record with LF; the export's records end with CRLF, as RFC 4180 says.
 * A line break inside a quoted field is data and stays as it is, so the quote state is
 * followed across chunks (a doubled "" toggles it twice).
 */
export async function* crlfRecords(chunks: AsyncIterable<Buffer>): AsyncGenerator<Uint8Array> {
  let quoted = false;
  const ends: number[] = [];
  for await (const chunk of chunks) {
    ends.length = 0;
    let at = 0;
    let quote = -2; // the next quote at or after `at` (-1: none left), -2: not looked for yet
    while (at < chunk.length) {
      if (quoted) {
        const close = chunk.indexOf(QUOTE, at);
        if (close < 0) break;
        quoted = false;
        at = close + 1;
        continue;
      }
      if (quote !== -1 && quote < at) quote = chunk.indexOf(QUOTE, at);
      const lf = chunk.indexOf(LF, at);
      if (quote >= 0 && (lf < 0 || quote < lf)) {
        quoted = true;
        at = quote + 1;
      } else if (lf >= 0) {
        ends.push(lf);
        at = lf + 1;
      } else break;
    }
    if (!ends.length) {
      yield chunk;
      continue;
    }
    const out = Buffer.allocUnsafe(chunk.length + ends.length);
    let from = 0;
    let to = 0;
    for (const end of ends) {
      to += chunk.copy(out, to, from, end);
      out[to++] = CR;
      from = end;
    }
    chunk.copy(out, to, from);
    yield out;
  }
}

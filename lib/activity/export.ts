import "server-only";

import type { Db } from "@/db";
import type { Activity } from "@/db/schema";
import { requireMembership, type OrgRef } from "@/lib/orgs/access";

import { describeActivity, readActivityPage, type ActivityFilters } from "./feed";

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
 * The filtered activity stream as CSV, newest first, produced a batch at a time
 * (keyset pages of 1,000), so memory stays flat however long the history is.
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
    let cursor: string | undefined;
    do {
      const page = await readActivityPage(db, org.id, filters, cursor, EXPORT_BATCH);
      if (page.entries.length) yield page.entries.map(csvRow).join("\r\n") + "\r\n";
      cursor = page.nextCursor;
    } while (cursor);
  })();
}

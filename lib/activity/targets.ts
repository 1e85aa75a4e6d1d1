import "server-only";

import { and, eq, inArray } from "drizzle-orm";

import type { Db } from "@/db";
import { apiTokens, apps, invitations, memberships, secrets, type Activity } from "@/db/schema";
import { isUuid } from "@/lib/core/ids";

/**
 * Which targets of a page of entries still exist in the org, as "type:id" keys,
 * so the timeline links only to what can still be opened. One query per kind of
 * target on the page, each bounded by the page's ids and the org.
 */
export async function liveTargets(db: Db, orgId: string, entries: Pick<Activity, "targetType" | "targetId">[]): Promise<Set<string>> {
  const idsOf = (type: string) => [...new Set(entries.filter((e) => e.targetType === type && isUuid(e.targetId)).map((e) => e.targetId!))];
  const live = new Set<string>();
  const mark = (type: string, ids: string[]) => ids.forEach((id) => live.add(`${type}:${id}`));
  const lookups: Promise<void>[] = [];
  const users = idsOf("user");
  if (users.length) {
    lookups.push(
      db
        .select({ id: memberships.userId })
        .from(memberships)
        .where(and(eq(memberships.orgId, orgId), inArray(memberships.userId, users)))
        .then((rows) =>
          mark(
            "user",
            rows.map((row) => row.id),
          ),
        ),
    );
  }
  const pending = idsOf("invitation");
  if (pending.length) {
    lookups.push(
      db
        .select({ id: invitations.id })
        .from(invitations)
        .where(and(eq(invitations.orgId, orgId), eq(invitations.status, "pending"), inArray(invitations.id, pending)))
        .then((rows) =>
          mark(
            "invitation",
            rows.map((row) => row.id),
          ),
        ),
    );
  }
  for (const [type, table] of [
    ["app", apps],
    ["secret", secrets],
    ["api_token", apiTokens],
  ] as const) {
    const ids = idsOf(type);
    if (ids.length) {
      lookups.push(
        db
          .select({ id: table.id })
          .from(table)
          .where(and(eq(table.orgId, orgId), inArray(table.id, ids)))
          .then((rows) =>
            mark(
              type,
              rows.map((row) => row.id),
            ),
          ),
      );
    }
  }
  await Promise.all(lookups);
  // The organization, and its plan and billing pages, exist while its stream can be read.
  // Invoices are never deleted, and a subscription's page is the billing page.
  const alwaysLive = new Set(["organization", "plan", "billing", "payment_method", "invoice", "subscription"]);
  for (const entry of entries)
    if (entry.targetType && alwaysLive.has(entry.targetType) && entry.targetId) live.add(`${entry.targetType}:${entry.targetId}`);
  return live;
}

import "server-only";

import type { Db } from "@/db";
import type { Activity } from "@/db/schema";
import type { OrgRef } from "@/lib/orgs/access";
import type { ActivityEntryView } from "@/lib/shared/activity-entry";

import { describeActivity, listActivities, type ActivityFilters } from "./feed";
import { liveTargets } from "./targets";
import { ACTIVITY_TYPES, isActivityType } from "./types";

export type { ActivityEntryView };

function targetHref(entry: Activity, orgName: string, live?: Set<string>): string | null {
  if (!entry.targetLabel) return null;
  // Linked only while the target exists (when the caller looked that up).
  if (live && !live.has(`${entry.targetType}:${entry.targetId}`)) return null;
  switch (entry.targetType) {
    case "organization":
      return `/orgs/${orgName}`;
    case "user":
      return `/orgs/${orgName}/members?q=${encodeURIComponent(entry.targetLabel)}`;
    case "invitation":
      return `/orgs/${orgName}/invitations`;
    case "app":
      return `/orgs/${orgName}/apps`;
    case "secret":
      return `/orgs/${orgName}/secrets`;
    case "api_token":
      return `/orgs/${orgName}/settings/api`;
    case "plan":
      return `/orgs/${orgName}/settings/plan`;
    case "billing":
    case "payment_method":
    case "subscription":
      return `/orgs/${orgName}/settings/billing`;
    case "invoice":
      return `/orgs/${orgName}/settings/invoices/${entry.targetId}`;
    default:
      return null;
  }
}

export function toActivityView(entry: Activity, orgName: string, live?: Set<string>): ActivityEntryView {
  const kind = isActivityType(entry.type) ? ACTIVITY_TYPES[entry.type] : undefined;
  return {
    id: entry.id,
    type: entry.type,
    object: kind?.object ?? "other",
    colour: kind?.colour ?? "grey",
    sentence: describeActivity(entry),
    actorName: entry.actorName,
    actorEmail: entry.actorEmail,
    targetLabel: entry.targetLabel,
    targetHref: targetHref(entry, orgName, live),
    createdAt: entry.createdAt.toISOString(),
  };
}

/**
 * A page of the org's activity as the timeline shows it (membership checked):
 * sentences, colours, and links to targets that still exist.
 */
export async function listActivityViews(
  db: Db,
  userId: string,
  orgRef: OrgRef,
  options: ActivityFilters & { cursor?: unknown; limit?: number } = {},
): Promise<{ entries: ActivityEntryView[]; nextCursor: string | null }> {
  const page = await listActivities(db, userId, orgRef, options);
  const live = await liveTargets(db, page.orgId, page.entries);
  return { entries: page.entries.map((entry) => toActivityView(entry, page.orgName, live)), nextCursor: page.nextCursor ?? null };
}

import type { Activity } from "@/db/schema";
import { describeActivity } from "./feed";
import { ACTIVITY_TYPES, isActivityType, type ActivityColour, type ActivityObject } from "./types";

/** An entry as the timeline (a client component) and the JSON feed receive it. */
export interface ActivityEntryView {
  id: number;
  type: string;
  object: ActivityObject | "other";
  colour: ActivityColour;
  sentence: string;
  actorName: string;
  actorEmail: string | null;
  targetLabel: string | null;
  targetHref: string | null;
  createdAt: string;
}

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
      return `/orgs/${orgName}/settings/billing`;
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

import type { Metadata } from "next";
import Link from "next/link";

import { activityEntriesHtml } from "@/components/activity/activity-entry-html";
import { ActivityFilters } from "@/components/activity/activity-filters";
import { ActivityIconSprite } from "@/components/activity/activity-icon";
import { ActivityTimeline } from "@/components/activity/activity-timeline";
import { ServerMarkup } from "@/components/ui/server-markup";
import { getDb, type Db } from "@/db";
import { activityFiltersToQuery, parseActivityFilters } from "@/lib/activity/filters";
import { ACTIVITY_TYPES } from "@/lib/activity/types";
import { listActivityViews, type ActivityEntryView } from "@/lib/activity/view";
import { isAppError } from "@/lib/core/errors";
import { requireOrgAccess } from "@/lib/next/org-access";
import type { OrgAccess } from "@/lib/orgs/access";
import { getMember } from "@/lib/orgs/members";
import { can } from "@/lib/shared/roles";

export const metadata: Metadata = { title: "Activity" };

type SearchParams = { type?: string | string[]; actor?: string; from?: string; to?: string; cursor?: string };

const typeGroups = Object.entries(
  Object.entries(ACTIVITY_TYPES).reduce<Record<string, { value: string; label: string }[]>>((groups, [type, kind]) => {
    (groups[kind.object] ??= []).push({ value: type, label: kind.sentence });
    return groups;
  }, {}),
).map(([group, options]) => ({ group: group.replace("_", " "), options }));

/** The active actor as the search box shows it: the member, or the name the entries kept of a former one. */
async function actorLabel(db: Db, userId: string, access: OrgAccess, actorId: string, entries: ActivityEntryView[]) {
  try {
    const member = await getMember(db, userId, access, actorId);
    return `${member.name} (${member.email})`;
  } catch (error) {
    if (!isAppError(error) || error.code !== "not_found") throw error;
    const entry = entries[0];
    return entry ? (entry.actorEmail ? `${entry.actorName} (${entry.actorEmail})` : entry.actorName) : "A former member";
  }
}

export default async function ActivityPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const access = await requireOrgAccess((await params).org, "/activity");
  const { org, user, role } = access;
  const raw = await searchParams;
  const filters = parseActivityFilters(raw);
  // An older page (the "Load older entries" link without JavaScript, or a shared link deep in the history).
  const cursor = typeof raw.cursor === "string" ? raw.cursor : undefined;
  const db = await getDb();
  const page = await listActivityViews(db, user.id, access, { ...filters, cursor });
  const actor = filters.actorId
    ? { id: filters.actorId, label: await actorLabel(db, user.id, access, filters.actorId, page.entries) }
    : undefined;

  // The canonical query of the applied filters: the feed, the export and the component keys use it.
  const filterQuery = activityFiltersToQuery(filters);
  const current = new URLSearchParams(filterQuery);
  const newest = page.entries[0];

  return (
    <div className="space-y-4">
      <ActivityFilters
        key={`filters?${filterQuery}`}
        orgName={org.name}
        typeOptions={typeGroups}
        current={{
          types: filters.types ?? [],
          actor,
          from: current.get("from") ?? undefined,
          to: current.get("to") ?? undefined,
        }}
        exportHref={can(role, "activity.export") ? `/orgs/${org.name}/activity/export${filterQuery ? `?${filterQuery}` : ""}` : undefined}
      />
      {cursor ? (
        <Link href={`/orgs/${org.name}/activity${filterQuery ? `?${filterQuery}` : ""}`} className="inline-block text-sm underline">
          Newest entries
        </Link>
      ) : null}
      <ActivityIconSprite objects={page.entries.map((entry) => entry.object)} />
      <ActivityTimeline
        key={`timeline?${filterQuery}&${cursor ?? ""}`}
        orgName={org.name}
        filterQuery={filterQuery}
        filtered={filterQuery.length > 0}
        newest={newest ? { createdAt: newest.createdAt, id: newest.id } : null}
        nextCursor={page.nextCursor}
        live={!cursor}
      >
        <ServerMarkup as="ol" role="none" html={activityEntriesHtml(page.entries)} />
      </ActivityTimeline>
    </div>
  );
}

import type { Metadata } from "next";

import { ActivityFilters } from "@/components/activity/activity-filters";
import { ActivityTimeline } from "@/components/activity/activity-timeline";
import { getDb } from "@/db";
import { activityFiltersToQuery, parseActivityFilters } from "@/lib/activity/filters";
import { ACTIVITY_TYPES } from "@/lib/activity/types";
import { listActivityViews } from "@/lib/activity/view";
import { requireOrgAccess } from "@/lib/next/org-access";
import { listMembers } from "@/lib/orgs/members";
import { can } from "@/lib/shared/roles";

export const metadata: Metadata = { title: "Activity" };

type SearchParams = { type?: string | string[]; actor?: string; from?: string; to?: string };

const typeGroups = Object.entries(
  Object.entries(ACTIVITY_TYPES).reduce<Record<string, { value: string; label: string }[]>>((groups, [type, kind]) => {
    (groups[kind.object] ??= []).push({ value: type, label: kind.sentence });
    return groups;
  }, {}),
).map(([group, options]) => ({ group: group.replace("_", " "), options }));

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
  const db = await getDb();
  const [page, members] = await Promise.all([
    listActivityViews(db, user.id, access, filters),
    listMembers(db, user.id, access, { limit: 200 }),
  ]);

  // The canonical query of the applied filters: the feed, the export and the component keys use it.
  const filterQuery = activityFiltersToQuery(filters);
  const current = new URLSearchParams(filterQuery);

  return (
    <div className="space-y-4">
      <ActivityFilters
        key={`filters?${filterQuery}`}
        typeOptions={typeGroups}
        actorOptions={members.members.map((member) => ({ value: member.userId, label: `${member.name} (${member.email})` }))}
        current={{
          types: filters.types ?? [],
          actor: filters.actorId,
          from: current.get("from") ?? undefined,
          to: current.get("to") ?? undefined,
        }}
        exportHref={can(role, "activity.export") ? `/orgs/${org.name}/activity/export${filterQuery ? `?${filterQuery}` : ""}` : undefined}
      />
      <ActivityTimeline
        key={`timeline?${filterQuery}`}
        orgName={org.name}
        filterQuery={filterQuery}
        filtered={filterQuery.length > 0}
        initialPage={page}
      />
    </div>
  );
}

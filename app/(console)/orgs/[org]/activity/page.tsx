import type { Metadata } from "next";
import { ActivityFilters } from "@/components/activity/activity-filters";
import { ActivityTimeline } from "@/components/activity/activity-timeline";
import { getDb } from "@/db";
import { listActivities, parseActivityFilters } from "@/lib/activity/feed";
import { ACTIVITY_TYPES } from "@/lib/activity/types";
import { liveTargets } from "@/lib/activity/targets";
import { toActivityView } from "@/lib/activity/view";
import { requireOrgAccess } from "@/lib/next/org-access";
import { listMembers } from "@/lib/orgs/members";

export const metadata: Metadata = { title: "Activity" };

type SearchParams = { type?: string | string[]; actor?: string; from?: string; to?: string };

const typeGroups = Object.entries(
  Object.entries(ACTIVITY_TYPES).reduce<Record<string, { value: string; label: string }[]>>((groups, [type, kind]) => {
    (groups[kind.object] ??= []).push({ value: type, label: kind.sentence });
    return groups;
  }, {}),
).map(([group, options]) => ({ group: group.replace("_", " "), options }));

export default async function ActivityPage({ params, searchParams }: { params: Promise<{ org: string }>; searchParams: Promise<SearchParams> }) {
  const { org, user } = await requireOrgAccess((await params).org, "/activity");
  const raw = await searchParams;
  const filters = parseActivityFilters(raw);
  const db = await getDb();
  const [page, members] = await Promise.all([listActivities(db, user.id, org.name, filters), listMembers(db, user.id, org.name, { limit: 200 })]);
  const live = await liveTargets(db, org.id, page.entries);

  // The canonical query of the applied filters: the feed, the export and the component key use it.
  const query = new URLSearchParams();
  for (const type of filters.types ?? []) query.append("type", type);
  if (filters.actorId) query.set("actor", filters.actorId);
  const from = typeof raw.from === "string" && filters.from ? raw.from : undefined;
  const to = typeof raw.to === "string" && filters.to ? raw.to : undefined;
  if (from) query.set("from", from);
  if (to) query.set("to", to);
  const filterQuery = query.toString();

  return (
    <div className="space-y-4">
      <ActivityFilters
        key={`filters?${filterQuery}`}
        typeOptions={typeGroups}
        actorOptions={members.members.map((member) => ({ value: member.userId, label: `${member.name} (${member.email})` }))}
        current={{ types: filters.types ?? [], actor: filters.actorId, from, to }}
        exportHref={`/orgs/${org.name}/activity/export${filterQuery ? `?${filterQuery}` : ""}`}
      />
      <ActivityTimeline
        key={`timeline?${filterQuery}`}
        orgName={org.name}
        filterQuery={filterQuery}
        filtered={filterQuery.length > 0}
        initialPage={{ entries: page.entries.map((entry) => toActivityView(entry, org.name, live)), nextCursor: page.nextCursor ?? null }}
      />
    </div>
  );
}

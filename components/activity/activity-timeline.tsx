"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

import { HttpError } from "@/components/providers";
import { buttonClass } from "@/components/ui/button-class";
import { EmptyState } from "@/components/ui/empty-state";
import type { ActivityEntryView } from "@/lib/shared/activity-entry";

import { activityEntryAttributes, activityEntryContent } from "./activity-entry-html";
import { ActivityIconSprite } from "./activity-icon";

export interface FeedPage {
  entries: ActivityEntryView[];
  nextCursor: string | null;
}

const LIVE_INTERVAL_MS = 4000;
/** The icons of the entries loaded here: their own sprite, rendered only when there are some. */
const LOADED_ICONS = "activity-icon-loaded";

/** Entries loaded in the browser: the same markup as the server's, one `<li>` each, so React keeps the ones already shown. */
function LoadedEntries({ entries }: { entries: ActivityEntryView[] }) {
  return (
    <ol role="none">
      {entries.map((entry) => (
        <li
          key={entry.id}
          {...activityEntryAttributes(entry)}
          dangerouslySetInnerHTML={{ __html: activityEntryContent(entry, LOADED_ICONS).value }}
        />
      ))}
    </ol>
  );
}

async function fetchPage(orgName: string, filterQuery: string, cursor: string | null): Promise<FeedPage> {
  const params = new URLSearchParams(filterQuery);
  if (cursor) params.set("cursor", cursor);
  const response = await fetch(`/orgs/${encodeURIComponent(orgName)}/activity/feed?${params}`, { cache: "no-store" });
  if (!response.ok) throw new HttpError(response.status, `The activity could not be loaded (${response.status}).`);
  return response.json() as Promise<FeedPage>;
}

const isNewer = (entry: Pick<ActivityEntryView, "createdAt" | "id">, than: Pick<ActivityEntryView, "createdAt" | "id">) =>
  entry.createdAt > than.createdAt || (entry.createdAt === than.createdAt && entry.id > than.id);

/**
 * The activity stream around the entries the server rendered (`children`, one
 * page of server markup as an `<ol role="none">`, never sent again as data): older pages loaded as the
 * user scrolls (or through the "Load older entries" link, which also works
 * without JavaScript), and on the newest page (`live`) the head polled so new
 * entries appear without a reload — at once when the user is at the top, behind
 * an "N new entries" pill when they have scrolled away.
 */
export function ActivityTimeline({
  orgName,
  filterQuery,
  filtered,
  newest,
  nextCursor,
  live,
  children,
}: {
  orgName: string;
  filterQuery: string;
  filtered: boolean;
  /** The newest server-rendered entry: anything newer the head brings is fresh. */
  newest: Pick<ActivityEntryView, "createdAt" | "id"> | null;
  nextCursor: string | null;
  live: boolean;
  children: ReactNode;
}) {
  const head = useQuery({
    queryKey: ["activity", orgName, filterQuery, "head"],
    queryFn: () => fetchPage(orgName, filterQuery, null),
    refetchInterval: LIVE_INTERVAL_MS,
    refetchIntervalInBackground: false,
    enabled: live,
  });
  const [shown, setShown] = useState<ActivityEntryView[]>([]);
  const top = shown[0] ?? newest;
  const fresh = useMemo(() => (head.data?.entries ?? []).filter((entry) => !top || isNewer(entry, top)), [head.data, top]);

  const [scrolledAway, setScrolledAway] = useState(false);
  useEffect(() => {
    const onScroll = () => setScrolledAway(window.scrollY > 240);
    onScroll();
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);

  const showFresh = useCallback(() => setShown((now) => [...fresh, ...now]), [fresh]);
  useEffect(() => {
    // The poll is the external system here: its new entries join the list while the user is at the top.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (fresh.length && !scrolledAway) showFresh();
  }, [fresh, scrolledAway, showFresh]);

  const [older, setOlder] = useState<{ entries: ActivityEntryView[]; cursor: string | null; loading: boolean; error?: string }>({
    entries: [],
    cursor: nextCursor,
    loading: false,
  });
  const loadOlder = useCallback(() => {
    if (!older.cursor || older.loading) return;
    setOlder((now) => ({ ...now, loading: true, error: undefined }));
    fetchPage(orgName, filterQuery, older.cursor).then(
      (page) => setOlder((now) => ({ entries: [...now.entries, ...page.entries], cursor: page.nextCursor, loading: false })),
      (error: Error) => setOlder((now) => ({ ...now, loading: false, error: error.message })),
    );
  }, [older.cursor, older.loading, orgName, filterQuery]);

  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !older.cursor) return;
    const observer = new IntersectionObserver((seen) => (seen.some((item) => item.isIntersecting) ? loadOlder() : undefined), {
      rootMargin: "400px",
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [older.cursor, loadOlder]);

  if (!newest && shown.length === 0) {
    return (
      <EmptyState data-testid="activity-empty">
        {filtered ? "No activity matches these filters." : "No activity yet. Changes to this organization will show here."}
      </EmptyState>
    );
  }

  const olderHref = older.cursor ? `?${new URLSearchParams([...new URLSearchParams(filterQuery), ["cursor", older.cursor]])}` : undefined;
  return (
    <div className="relative">
      {fresh.length > 0 && scrolledAway ? (
        <div className="sticky top-16 z-30 flex justify-center">
          <button
            type="button"
            onClick={() => {
              showFresh();
              window.scrollTo({ top: 0, behavior: "smooth" });
            }}
            className="rounded-full bg-zinc-900 px-4 py-1.5 text-sm font-medium text-white shadow-lg"
          >
            {fresh.length} new {fresh.length === 1 ? "entry" : "entries"}
          </button>
        </div>
      ) : null}
      {/* One list of three parts: the entries that arrived, the server's page, the older ones. */}
      <div role="list" className="activity-list" aria-label="Activity" aria-live="polite">
        <LoadedEntries entries={shown} />
        {children}
        <LoadedEntries entries={older.entries} />
      </div>
      {shown.length || older.entries.length ? (
        <ActivityIconSprite idPrefix={LOADED_ICONS} objects={[...shown, ...older.entries].map((entry) => entry.object)} />
      ) : null}
      <div ref={sentinel} className="flex justify-center py-4">
        {olderHref ? (
          <a
            href={olderHref}
            onClick={(event) => {
              event.preventDefault();
              loadOlder();
            }}
            aria-disabled={older.loading || undefined}
            className={buttonClass("secondary")}
          >
            {older.loading ? "Loading…" : "Load older entries"}
          </a>
        ) : (
          <p className="text-xs text-zinc-500">That is the beginning of this organization&apos;s history.</p>
        )}
      </div>
      {older.error ? <p className="text-center text-sm text-red-600">{older.error}</p> : null}
    </div>
  );
}

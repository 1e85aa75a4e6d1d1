"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

import { HttpError } from "@/components/providers";
import { buttonClass } from "@/components/ui/button-class";
import { EmptyState } from "@/components/ui/empty-state";
import type { ActivityEntryView } from "@/lib/shared/activity-entry";

import { ActivityEntry } from "./activity-entry";

export interface FeedPage {
  entries: ActivityEntryView[];
  nextCursor: string | null;
}

const LIVE_INTERVAL_MS = 4000;

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
 * page of server markup, never sent again as data): older pages loaded as the
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
      <ol className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 bg-white px-4" aria-label="Activity" aria-live="polite">
        {shown.map((entry) => (
          <ActivityEntry key={entry.id} entry={entry} />
        ))}
        {children}
        {older.entries.map((entry) => (
          <ActivityEntry key={entry.id} entry={entry} />
        ))}
      </ol>
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

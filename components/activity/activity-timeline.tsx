"use client";

import { useInfiniteQuery, useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";

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

const newestFirst = (a: ActivityEntryView, b: ActivityEntryView) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id;

/**
 * The activity stream: keyset pages loaded as the user scrolls, and the newest
 * page polled so new entries appear without a reload — at once when the user is
 * at the top, behind an "N new entries" pill when they have scrolled away.
 */
export function ActivityTimeline({
  orgName,
  filterQuery,
  initialPage,
  filtered,
}: {
  orgName: string;
  filterQuery: string;
  initialPage: FeedPage;
  filtered: boolean;
}) {
  const queryClient = useQueryClient();
  const key = useMemo(() => ["activity", orgName, filterQuery], [orgName, filterQuery]);
  const feed = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => fetchPage(orgName, filterQuery, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: { pages: [initialPage], pageParams: [null] },
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  const head = useQuery({
    queryKey: [...key, "head"],
    queryFn: () => fetchPage(orgName, filterQuery, null),
    refetchInterval: LIVE_INTERVAL_MS,
    refetchIntervalInBackground: false,
  });

  const entries = useMemo(() => feed.data.pages.flatMap((page) => page.entries), [feed.data]);
  const fresh = useMemo(() => {
    const known = new Set(entries.map((entry) => entry.id));
    return (head.data?.entries ?? []).filter((entry) => !known.has(entry.id));
  }, [head.data, entries]);

  const [scrolledAway, setScrolledAway] = useState(false);
  useEffect(() => {
    const onScroll = () => setScrolledAway(window.scrollY > 240);
    onScroll();
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);

  const showFresh = () => {
    queryClient.setQueryData<InfiniteData<FeedPage, string | null>>(key, (old) => {
      if (!old) return old;
      const [first, ...rest] = old.pages;
      const merged = [...fresh, ...(first?.entries ?? [])].sort(newestFirst);
      return { ...old, pages: [{ entries: merged, nextCursor: first?.nextCursor ?? null }, ...rest] };
    });
  };
  useEffect(() => {
    if (fresh.length && !scrolledAway) showFresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- showFresh reads the same inputs
  }, [fresh, scrolledAway]);

  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = feed;
  useEffect(() => {
    const node = sentinel.current;
    if (!node || !hasNextPage) return;
    const observer = new IntersectionObserver(
      (seen) => {
        if (seen.some((item) => item.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: "400px" },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (entries.length === 0) {
    return (
      <EmptyState data-testid="activity-empty">
        {filtered ? "No activity matches these filters." : "No activity yet. Changes to this organization will show here."}
      </EmptyState>
    );
  }

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
        {entries.map((entry) => (
          <ActivityEntry key={entry.id} entry={entry} />
        ))}
      </ol>
      <div ref={sentinel} className="flex justify-center py-4">
        {feed.hasNextPage ? (
          <button
            type="button"
            onClick={() => void feed.fetchNextPage()}
            disabled={feed.isFetchingNextPage}
            className={buttonClass("secondary")}
          >
            {feed.isFetchingNextPage ? "Loading…" : "Load older entries"}
          </button>
        ) : (
          <p className="text-xs text-zinc-500">That is the beginning of this organization&apos;s history.</p>
        )}
      </div>
      {feed.isError ? <p className="text-center text-sm text-red-600">{feed.error.message}</p> : null}
    </div>
  );
}

import Link from "next/link";

import { Avatar } from "@/components/ui/avatar";
import { relativeTime } from "@/components/ui/relative-time";
import type { ActivityEntryView } from "@/lib/shared/activity-entry";

import { ActivityIcon } from "./activity-icon";

export function ActivityEntry({ entry }: { entry: ActivityEntryView }) {
  const at = new Date(entry.createdAt);
  return (
    <li className="flex gap-3 py-3" data-testid="activity-entry" data-type={entry.type}>
      <ActivityIcon object={entry.object} colour={entry.colour} />
      <div className="min-w-0 flex-1 text-sm">
        <p className="flex flex-wrap items-center gap-x-1.5 gap-y-0.5">
          <Avatar label={entry.actorName} size="sm" />
          <span className="font-medium text-zinc-900" title={entry.actorEmail ?? undefined}>
            {entry.actorName}
          </span>
          <span className="text-zinc-700" data-testid="activity-sentence">
            {entry.sentence}
          </span>
          {entry.targetLabel ? (
            entry.targetHref ? (
              <Link
                href={entry.targetHref}
                className="font-medium break-all text-zinc-900 underline decoration-zinc-300 hover:decoration-zinc-900"
              >
                {entry.targetLabel}
              </Link>
            ) : (
              <span className="font-medium break-all text-zinc-900">{entry.targetLabel}</span>
            )
          ) : null}
        </p>
        <time
          className="mt-0.5 block text-xs text-zinc-500"
          dateTime={entry.createdAt}
          title={`${entry.createdAt.replace("T", " ").slice(0, 19)} UTC`}
          suppressHydrationWarning
        >
          {relativeTime(at)}
        </time>
      </div>
    </li>
  );
}

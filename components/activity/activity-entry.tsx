import Link from "next/link";

import { Avatar } from "@/components/ui/avatar";
import { relativeTime } from "@/components/ui/relative-time";
import type { ActivityEntryView } from "@/lib/shared/activity-entry";

import { ActivityIcon } from "./activity-icon";

/**
 * One entry of the timeline. Rendered on the server for the page's entries
 * (`sprite`: the icon comes from the page's ActivityIconSprite) and in the
 * browser for the entries the timeline loads later. Its classes are in app/globals.css.
 */
export function ActivityEntry({ entry, sprite = false }: { entry: ActivityEntryView; sprite?: boolean }) {
  return (
    <li className="activity-entry" data-testid="activity-entry" data-type={entry.type}>
      <ActivityIcon object={entry.object} colour={entry.colour} sprite={sprite} />
      <div>
        <p>
          <Avatar label={entry.actorName} size="sm" />
          <b title={entry.actorEmail ?? undefined}>{entry.actorName}</b>
          <span data-testid="activity-sentence">{entry.sentence}</span>
          {entry.targetLabel ? (
            entry.targetHref ? (
              <Link href={entry.targetHref}>{entry.targetLabel}</Link>
            ) : (
              <b>{entry.targetLabel}</b>
            )
          ) : null}
        </p>
        <time dateTime={entry.createdAt} title={`${entry.createdAt.replace("T", " ").slice(0, 19)} UTC`} suppressHydrationWarning>
          {relativeTime(new Date(entry.createdAt))}
        </time>
      </div>
    </li>
  );
}

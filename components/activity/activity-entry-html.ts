import { avatarHtml } from "@/components/ui/avatar";
import { relativeTime } from "@/components/ui/relative-time";
import type { ActivityEntryView } from "@/lib/shared/activity-entry";
import { markup, type Html } from "@/lib/shared/html";

import { ICON_PREFIX, iconOf } from "./activity-icon";

/** The attributes of an entry's `<li>`: the server's markup writes them, the timeline's own entries set them as props. */
export function activityEntryAttributes(entry: ActivityEntryView) {
  return { className: "activity-entry", "data-testid": "activity-entry", "data-type": entry.type } as const;
}

/**
 * What an entry shows, as markup (lib/shared/html.ts): the server renders a page of
 * them into one string, the timeline renders the entries it loads later the same
 * way. The icon points at an ActivityIconSprite with `iconPrefix`. Classes are in app/globals.css.
 */
export function activityEntryContent(entry: ActivityEntryView, iconPrefix = ICON_PREFIX): Html {
  const target = entry.targetLabel
    ? entry.targetHref
      ? markup`<a href="${entry.targetHref}">${entry.targetLabel}</a>`
      : markup`<b>${entry.targetLabel}</b>`
    : "";
  const icon = markup`<span class="activity-icon" data-colour="${entry.colour}"><svg aria-hidden="true"><use href="#${iconPrefix}-${iconOf(entry.object)}"></use></svg></span>`;
  const actor = markup`${avatarHtml({ label: entry.actorName, size: "sm" })}<b${entry.actorEmail ? markup` title="${entry.actorEmail}"` : ""}>${entry.actorName}</b>`;
  const time = markup`<time datetime="${entry.createdAt}" title="${entry.createdAt.replace("T", " ").slice(0, 19)} UTC">${relativeTime(new Date(entry.createdAt))}</time>`;
  return markup`${icon}<div><p>${actor}<span data-testid="activity-sentence">${entry.sentence}</span>${target}</p>${time}</div>`;
}

/** A page of entries as one piece of markup, for ServerMarkup. */
export function activityEntriesHtml(entries: ActivityEntryView[]): Html {
  return markup`${entries.map((entry) => {
    const attributes = activityEntryAttributes(entry);
    return markup`<li class="${attributes.className}" data-testid="${attributes["data-testid"]}" data-type="${attributes["data-type"]}">${activityEntryContent(entry)}</li>`;
  })}`;
}

import {
  Boxes,
  Building2,
  CircleDot,
  CreditCard,
  FileText,
  Gem,
  KeyRound,
  LockKeyhole,
  Mail,
  Receipt,
  Repeat,
  UserRound,
} from "lucide-react";

import type { ActivityEntryView } from "@/lib/shared/activity-entry";

const icons = {
  organization: Building2,
  member: UserRound,
  invitation: Mail,
  api_token: KeyRound,
  app: Boxes,
  secret: LockKeyhole,
  plan: Gem,
  billing: Receipt,
  payment_method: CreditCard,
  invoice: FileText,
  subscription: Repeat,
  other: CircleDot,
};

const iconOf = (object: string) => (object in icons ? object : "other") as keyof typeof icons;

/**
 * The icons the server-rendered entries point at (`sprite`), once per page, so
 * that 50 rows carry a `<use>` each instead of 50 copies of the drawings.
 */
export function ActivityIconSprite({ objects }: { objects: Iterable<string> }) {
  return (
    <svg aria-hidden className="hidden">
      {[...new Set([...objects].map(iconOf))].map((object) => {
        const Icon = icons[object];
        return (
          <symbol key={object} id={`activity-icon-${object}`} viewBox="0 0 24 24">
            <Icon />
          </symbol>
        );
      })}
    </svg>
  );
}

/**
 * An icon per kind of object, a colour per verb (created/joined green, deleted/left red, updated blue);
 * the colours are `.activity-icon[data-colour]` in app/globals.css. With `sprite`, the drawing comes
 * from the page's ActivityIconSprite.
 */
export function ActivityIcon({ object, colour, sprite = false }: Pick<ActivityEntryView, "object" | "colour"> & { sprite?: boolean }) {
  const Icon = icons[iconOf(object)];
  return (
    <span className="activity-icon" data-colour={colour}>
      {sprite ? (
        <svg aria-hidden>
          <use href={`#activity-icon-${iconOf(object)}`} />
        </svg>
      ) : (
        <Icon aria-hidden />
      )}
    </span>
  );
}

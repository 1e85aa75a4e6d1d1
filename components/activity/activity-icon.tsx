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

export const iconOf = (object: string) => (object in icons ? object : "other") as keyof typeof icons;

/** The ids of the page's icons (ActivityIconSprite); the timeline's own entries use another prefix. */
export const ICON_PREFIX = "activity-icon";

/**
 * The icons the entries point at (activity-entry-html.ts), once per page, so
 * that 50 rows carry a `<use>` each instead of 50 copies of the drawings.
 */
export function ActivityIconSprite({ objects, idPrefix = ICON_PREFIX }: { objects: Iterable<string>; idPrefix?: string }) {
  return (
    <svg aria-hidden className="hidden">
      {[...new Set([...objects].map(iconOf))].map((object) => {
        const Icon = icons[object];
        return (
          <symbol key={object} id={`${idPrefix}-${object}`} viewBox="0 0 24 24">
            <Icon />
          </symbol>
        );
      })}
    </svg>
  );
}

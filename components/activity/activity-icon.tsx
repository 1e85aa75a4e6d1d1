import { Boxes, Building2, CircleDot, CreditCard, Gem, KeyRound, LockKeyhole, Mail, Receipt, UserRound } from "lucide-react";

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
  other: CircleDot,
};

const colours: Record<ActivityEntryView["colour"], string> = {
  green: "bg-green-100 text-green-700 ring-green-200",
  red: "bg-red-100 text-red-700 ring-red-200",
  blue: "bg-sky-100 text-sky-700 ring-sky-200",
  grey: "bg-zinc-100 text-zinc-600 ring-zinc-200",
};

/** An icon per kind of object, a colour per verb (created/joined green, deleted/left red, updated blue). */
export function ActivityIcon({ object, colour }: Pick<ActivityEntryView, "object" | "colour">) {
  const Icon = icons[object as keyof typeof icons] ?? icons.other;
  return (
    <span className={`inline-flex size-8 shrink-0 items-center justify-center rounded-full ring-1 ${colours[colour]}`} data-colour={colour}>
      <Icon className="size-4" aria-hidden />
    </span>
  );
}

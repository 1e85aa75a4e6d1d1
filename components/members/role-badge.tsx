import { markup, type Html } from "@/lib/shared/html";
import { ROLE_DESCRIPTIONS, ROLE_LABELS, type Role } from "@/lib/shared/roles";

const tone: Record<Role, string> = {
  owner: "border-zinc-900 bg-zinc-900 text-white",
  admin: "border-zinc-300 bg-zinc-100 text-zinc-800",
  member: "border-zinc-200 bg-white text-zinc-700",
  billing: "border-zinc-200 bg-white text-zinc-700",
  viewer: "border-zinc-200 bg-white text-zinc-500",
};

const badgeClass = (role: Role) =>
  `inline-flex shrink-0 items-center rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap ${tone[role]}`;

/** A role as plain text, in a pill (a member's role, an invitation's role); the description on hover. */
export function RoleBadge({ role, testId = "member-role" }: { role: Role; testId?: string }) {
  return (
    <span data-testid={testId} title={ROLE_DESCRIPTIONS[role]} className={badgeClass(role)}>
      {ROLE_LABELS[role]}
    </span>
  );
}

/** The same pill as markup, for rows rendered as strings (lib/shared/html.ts). */
export function roleBadgeHtml(role: Role): Html {
  return markup`<span data-testid="member-role" title="${ROLE_DESCRIPTIONS[role]}" class="${badgeClass(role)}">${ROLE_LABELS[role]}</span>`;
}

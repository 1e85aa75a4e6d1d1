import { avatarHtml } from "@/components/ui/avatar";
import { relativeTime } from "@/components/ui/relative-time";
import { markup, type Html } from "@/lib/shared/html";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/shared/roles";

import { roleBadgeHtml } from "./role-badge";

export interface MemberRowView {
  userId: string;
  name: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

/** What the viewer may do to the rows, decided once for the list from their role (lib/shared/roles.ts). */
export interface MemberRowPermissions {
  viewerId: string;
  canChangeRoles: boolean;
  canRemoveMembers: boolean;
  /** Owners' roles and removal are an owner's call. */
  canManageOwners: boolean;
  /** The roles the viewer may give. */
  assignable: readonly Role[];
}

/**
 * A role as a select. MemberListActions (member-actions.tsx) saves it on change,
 * through delegated events; the row's `data-role` is the saved role. The Save
 * button of a keyboard user's unsaved choice, and the spinner, are added there when needed.
 */
function roleSelectHtml(member: MemberRowView, assignable: readonly Role[]): Html {
  const options = ROLES.filter((option) => option === member.role || assignable.includes(option)).map(
    (option) => markup`<option value="${option}"${option === member.role ? markup` selected` : ""}>${ROLE_LABELS[option]}</option>`,
  );
  return markup`<select name="role" autocomplete="off" aria-label="Role of ${member.name}" data-testid="member-role-select">${options}</select>`;
}

/**
 * One row. `data-key` (the member's user id) is what the list's controls act on,
 * and where focus returns after the list is re-rendered (components/ui/markup.tsx).
 */
function memberRowHtml(member: MemberRowView, can: MemberRowPermissions, managerLayout: boolean): Html {
  const isSelf = member.userId === can.viewerId;
  const reachable = member.role !== "owner" || can.canManageOwners;
  const role = can.canChangeRoles && reachable ? roleSelectHtml(member, can.assignable) : roleBadgeHtml(member.role);
  // The buttons open the one dialog of MemberListActions (a delegated click).
  const action = isSelf
    ? markup`<button type="button" class="row-button" data-leave aria-label="Leave organization">Leave</button>`
    : can.canRemoveMembers && reachable
      ? markup`<button type="button" class="row-button" data-remove aria-label="Remove ${member.name}">Remove</button>`
      : "";
  const controls = managerLayout
    ? markup`<div class="member-controls"><div>${role}</div><div>${action}</div></div>`
    : markup`<div class="flex items-center gap-2">${role}${action}</div>`;
  const joined = member.joinedAt.toISOString().slice(0, 16);
  const who = markup`<div class="member-who"><p class="font-medium">${member.name}${isSelf ? markup`<span class="you">You</span>` : ""}</p><p>${member.email}</p></div>`;
  const time = markup`<time datetime="${joined}Z" title="${joined.replace("T", " ")} UTC" class="member-joined">Joined ${relativeTime(member.joinedAt)}</time>`;
  return markup`<li class="row" data-testid="member-row" data-role="${member.role}" data-key="${member.userId}">${avatarHtml({ label: member.name })}${who}${time}${controls}</li>`;
}

/** A page of members as one piece of markup, for ServerMarkup. */
export function memberRowsHtml(members: readonly MemberRowView[], can: MemberRowPermissions): Html {
  const managerLayout = can.canChangeRoles || can.canRemoveMembers;
  return markup`${members.map((member) => memberRowHtml(member, can, managerLayout))}`;
}

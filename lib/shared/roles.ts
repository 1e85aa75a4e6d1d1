/**
 * Roles and what each may do: the one table that says who may do what in an
 * organization. lib/ checks it inside every domain function (so pages, actions
 * and API tokens get the same answer), and the UI reads it to hide what a role
 * can never do. docs/product.md shows it, and a test checks the two agree.
 */
export const ROLES = ["owner", "admin", "member", "billing", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
  billing: "Billing manager",
  viewer: "Viewer",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "Everything, including billing, deleting the organization and managing owners.",
  admin: "Members, invitations, roles up to admin, apps, secrets and settings; not billing.",
  member: "Apps, secrets and API tokens.",
  billing: "Plan, billing information and invoices; sees everything else.",
  viewer: "Sees the organization; read-only API tokens.",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Each permission: who has it, and the end of the sentence that refuses it ("Only owners and admins can …"). */
export const PERMISSIONS = {
  "org.view": { roles: ["owner", "admin", "member", "billing", "viewer"], refusal: "see this organization" },
  "resources.write": { roles: ["owner", "admin", "member"], refusal: "create, change or delete apps and secrets, or reveal secret values" },
  "tokens.create": { roles: ["owner", "admin", "member", "viewer"], refusal: "create API tokens" },
  "tokens.manage": { roles: ["owner", "admin"], refusal: "delete other members' API tokens" },
  "invitations.manage": { roles: ["owner", "admin"], refusal: "invite members or manage invitations" },
  "members.remove": { roles: ["owner", "admin"], refusal: "remove members" },
  "members.change_role": { roles: ["owner", "admin"], refusal: "change members' roles" },
  "billing.manage": { roles: ["owner", "billing"], refusal: "manage the plan, billing information and payment methods" },
  "org.rename": { roles: ["owner", "admin"], refusal: "rename the organization" },
  "org.delete": { roles: ["owner"], refusal: "delete the organization" },
  "owners.manage": { roles: ["owner"], refusal: "remove, demote or appoint owners" },
  "org.two_factor_policy": { roles: ["owner"], refusal: "change whether the organization requires two-factor authentication" },
  "activity.export": { roles: ["owner", "admin", "billing"], refusal: "export the activity" },
} as const satisfies Record<string, { roles: readonly Role[]; refusal: string }>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission].roles as readonly Role[]).includes(role);
}

function pluralLabel(role: Role): string {
  return role === "billing" ? "billing managers" : `${role}s`;
}

/** "Only owners and admins can invite members or manage invitations." */
export function refusalMessage(permission: Permission): string {
  const names = PERMISSIONS[permission].roles.map(pluralLabel);
  const list = names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return `Only ${list} can ${PERMISSIONS[permission].refusal}.`;
}

/** Roles from the most to the least powerful, for sorting and for "up to admin". */
const RANK: Record<Role, number> = { owner: 4, admin: 3, member: 2, billing: 2, viewer: 1 };

/**
 * The roles `actor` may give (to an invitation or a member): owners any role,
 * admins any role up to admin, everyone else none.
 */
export function assignableRoles(actor: Role): Role[] {
  if (actor === "owner") return [...ROLES];
  if (actor === "admin") return ROLES.filter((role) => role !== "owner");
  return [];
}

export function roleRank(role: Role): number {
  return RANK[role];
}

export const LAST_OWNER_MESSAGE =
  "An organization needs at least one owner. Make another member an owner first, or delete the organization (Settings → Danger zone).";

import "server-only";

import { and, asc, eq, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { memberships, organizations, type Organization } from "@/db/schema";
import { AppError } from "@/lib/core/errors";
import { isUuid } from "@/lib/core/ids";
import { can, refusalMessage, type Permission, type Role } from "@/lib/shared/roles";

import { requireTwoFactorCompliance } from "./two-factor-compliance";

export const ORG_NOT_FOUND = "This organization does not exist, or you are not a member of it.";

/**
 * How a domain function is told which org to act on:
 * - `{ name }` from a form or a URL (checked: the caller must be a member);
 * - `{ id }` from a token or a seed (checked the same way);
 * - the `OrgAccess` a page already got from `requireMembership`, which is
 *   trusted without a second query when it is for the same user.
 */
export type OrgRef = { id: string } | { name: unknown } | OrgAccess;

/** A user's checked membership of an org, as `requireMembership` returns it. */
export interface OrgAccess {
  org: Organization;
  userId: string;
  joinedAt: Date;
  /** The user's role in the org, read with the membership. */
  role: Role;
}

/** An org locked for a write, with the acting user's role in it. */
export interface LockedOrg {
  org: Organization;
  role: Role;
}

/** A member without the permission: 403 with the sentence that says who may. */
export function requirePermission(role: Role, permission: Permission): void {
  if (!can(role, permission)) throw new AppError("forbidden", refusalMessage(permission));
}

// Only objects made here count as checked: a caller cannot forge one by shape.
const checkedAccess = new WeakSet<OrgAccess>();

/** Org names are unique case-insensitively (the unique index is on lower(name)). */
export const orgByName = (name: string) => sql`lower(${organizations.name}) = lower(${name})`;

function orgWhere(ref: OrgRef) {
  if ("org" in ref) return eq(organizations.id, ref.org.id);
  if ("id" in ref) return isUuid(ref.id) ? eq(organizations.id, ref.id) : undefined;
  const name = ref.name;
  return typeof name === "string" && name.length > 0 && name.length <= 100 ? orgByName(name) : undefined;
}

/**
 * The one authorization check for org-scoped reads: the org with the user's
 * membership, read from the database (unless the caller passes the access it
 * already checked for this user). A non-member gets the same "not found" as a
 * missing org, so names of private orgs do not leak.
 */
export async function requireMembership(db: Db, userId: string, ref: OrgRef, permission: Permission = "org.view"): Promise<OrgAccess> {
  if ("org" in ref && checkedAccess.has(ref) && ref.userId === userId) {
    requirePermission(ref.role, permission);
    return ref;
  }
  const where = orgWhere(ref);
  if (!where) throw new AppError("not_found", ORG_NOT_FOUND);
  const [row] = await db
    .select({ org: organizations, joinedAt: memberships.joinedAt, role: memberships.role })
    .from(organizations)
    .innerJoin(memberships, and(eq(memberships.orgId, organizations.id), eq(memberships.userId, userId)))
    .where(where);
  return grantAccess(db, userId, row, permission);
}

/** What both checks do with the membership they found: the two-factor policy, then the permission. */
async function grantAccess(db: Db, userId: string, row: Omit<OrgAccess, "userId"> | undefined, permission: Permission): Promise<OrgAccess> {
  if (!row) throw new AppError("not_found", ORG_NOT_FOUND);
  await requireTwoFactorCompliance(db, userId, row.org);
  const access: OrgAccess = { org: row.org, joinedAt: row.joinedAt, role: row.role, userId };
  checkedAccess.add(access);
  requirePermission(access.role, permission);
  return access;
}

/** One of the user's memberships, as `listMemberships` reads them. */
export interface Membership {
  org: Organization;
  joinedAt: Date;
  role: Role;
}

// Only lists read here count, for the user they were read for: a caller cannot pass one it made up.
const listedFor = new WeakMap<readonly Membership[], string>();

/**
 * Every org of the user with their membership, by name. The console's layouts read
 * it once per request: the org switcher lists it, and `requireMembershipAmong`
 * checks the org in the URL against it instead of asking the database again.
 */
export async function listMemberships(db: Db, userId: string): Promise<readonly Membership[]> {
  const rows = await db
    .select({ org: organizations, joinedAt: memberships.joinedAt, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organizations.name));
  listedFor.set(rows, userId);
  return rows;
}

/**
 * `requireMembership(db, userId, { name })` answered from the user's memberships
 * that `listMemberships` read in this request: the same checks (two-factor policy,
 * permission) and the same "not found", without a query of its own. A list read for
 * another user, or not read by `listMemberships`, is refused.
 */
export async function requireMembershipAmong(
  db: Db,
  userId: string,
  list: readonly Membership[],
  name: string,
  permission: Permission = "org.view",
): Promise<OrgAccess> {
  if (listedFor.get(list) !== userId) throw new Error("requireMembershipAmong takes a list from listMemberships for the same user");
  // Names are lowercase letters, digits and dashes (lib/shared/names.ts); the URL's may be in any case, as orgByName allows.
  const wanted = name.toLowerCase();
  const row = name.length > 0 && name.length <= 100 ? list.find((membership) => membership.org.name.toLowerCase() === wanted) : undefined;
  return grantAccess(db, userId, row, permission);
}

/**
 * For org-scoped writes: locks the org row (FOR UPDATE) and then checks the
 * membership, inside the caller's transaction. Every write that counts members
 * goes through here first, so counts and limits hold under parallel requests.
 * A checked access from a page is re-checked here: the lock is what matters,
 * and the role is read under it, so a demotion that committed first counts.
 * A member without `permission` gets "forbidden"; a non-member "not found"; a
 * member without two-factor in an org that requires it "forbidden" with the reason.
 */
export async function lockOrgForMember(tx: Db, userId: string, ref: OrgRef, permission: Permission): Promise<LockedOrg> {
  const where = orgWhere(ref);
  if (!where) throw new AppError("not_found", ORG_NOT_FOUND);
  const [org] = await tx.select().from(organizations).where(where).for("update");
  if (!org) throw new AppError("not_found", ORG_NOT_FOUND);
  const [member] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, userId)));
  if (!member) throw new AppError("not_found", ORG_NOT_FOUND);
  // Leaving the org and deleting one's own tokens (the org.view writes) stay open to a member the policy blocks.
  if (permission !== "org.view") await requireTwoFactorCompliance(tx, userId, org);
  requirePermission(member.role, permission);
  return { org, role: member.role };
}

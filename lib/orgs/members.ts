import "server-only";

import { and, asc, count, eq, ilike, or, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { memberships, users, type Organization } from "@/db/schema";
import { recordActivity } from "@/lib/activity/record";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { isUuid, uuidOrUndefined } from "@/lib/core/ids";
import { decodeKeysetCursor, encodeKeysetCursor, isTimestampText } from "@/lib/core/keyset-cursor";
import { inTransaction } from "@/lib/core/transaction";
import { isRole, LAST_OWNER_MESSAGE, type Role } from "@/lib/shared/roles";

import { lockOrgForMember, requireMembership, requirePermission, type OrgRef } from "./access";
import { countMembers, countOwners, LAST_MEMBER_MESSAGE } from "./memberships";

export const MEMBERS_PAGE_SIZE = 50;

export interface MemberRow {
  userId: string;
  name: string;
  email: string;
  joinedAt: Date;
  role: Role;
}

interface Cursor {
  /** joined_at as Postgres prints it: microseconds, which a JS Date would round away. */
  at: string;
  userId: string;
}

const encodeCursor = (cursor: Cursor) => encodeKeysetCursor(cursor);

function decodeCursor(value: unknown): Cursor | undefined {
  const parsed = decodeKeysetCursor<Cursor>(value);
  if (!parsed || !isTimestampText(parsed.at) || !isUuid(parsed.userId)) return undefined;
  return { at: parsed.at, userId: parsed.userId };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

interface MemberListOptions {
  query?: unknown;
  role?: unknown;
  cursor?: unknown;
  limit?: number;
  /** Count the matching members (the default); false when the caller has the number already. */
  count?: boolean;
}

interface MemberPage {
  org: Organization;
  members: MemberRow[];
  total?: number;
  nextCursor?: string;
}

/**
 * A page of an org's members, oldest first, optionally filtered by name or
 * email. Keyset pagination on (joined_at, user_id) — the memberships index —
 * so a deep page costs the same as the first.
 */
export async function listMembers(
  db: Db,
  userId: string,
  orgRef: OrgRef,
  options?: MemberListOptions & { count?: true },
): Promise<MemberPage & { total: number }>;
export async function listMembers(db: Db, userId: string, orgRef: OrgRef, options: MemberListOptions): Promise<MemberPage>;
export async function listMembers(db: Db, userId: string, orgRef: OrgRef, options: MemberListOptions = {}): Promise<MemberPage> {
  const { org } = await requireMembership(db, userId, orgRef);
  const limit = Math.min(Math.max(options.limit ?? MEMBERS_PAGE_SIZE, 1), 200);
  const query = typeof options.query === "string" ? options.query.trim().slice(0, 100) : "";
  const cursor = decodeCursor(options.cursor);
  const byName = query ? or(ilike(users.name, `%${escapeLike(query)}%`), ilike(users.email, `%${escapeLike(query)}%`)) : undefined;
  // An unknown role is dropped, like the activity filters: an old link still opens.
  const search = and(byName, isRole(options.role) ? eq(memberships.role, options.role) : undefined);
  const after = cursor
    ? sql`(${memberships.joinedAt}, ${memberships.userId}) > (${cursor.at}::timestamptz, ${cursor.userId}::uuid)`
    : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        userId: users.id,
        name: users.name,
        email: users.email,
        joinedAt: memberships.joinedAt,
        role: memberships.role,
        at: sql<string>`${memberships.joinedAt}::text`,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, org.id), search, after))
      .orderBy(asc(memberships.joinedAt), asc(memberships.userId))
      .limit(limit + 1),
    // `count: false` when the caller has the number already (the members page: the seats' count).
    options.count === false
      ? []
      : db
          .select({ value: count() })
          .from(memberships)
          .innerJoin(users, eq(users.id, memberships.userId))
          .where(and(eq(memberships.orgId, org.id), search)),
  ]);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const members = page.map(({ userId, name, email, joinedAt, role }) => ({ userId, name, email, joinedAt, role }));
  return {
    org,
    members,
    total: options.count === false ? undefined : (total?.value ?? 0),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.at, userId: last.userId }) : undefined,
  };
}

const NOT_A_MEMBER = "This person is not a member of the organization.";

/** A member of the org by user id (a malformed id is no member): for callers that checked access. */
export async function memberOf(db: Db, orgId: string, memberId: unknown): Promise<MemberRow | undefined> {
  const id = uuidOrUndefined(memberId);
  if (!id) return undefined;
  const [member] = await db
    .select({ userId: users.id, name: users.name, email: users.email, joinedAt: memberships.joinedAt, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, id)));
  return member;
}

/** One member of an org the user belongs to, or not_found. */
export async function getMember(db: Db, userId: string, orgRef: OrgRef, memberId: unknown): Promise<MemberRow> {
  const { org } = await requireMembership(db, userId, orgRef);
  const member = await memberOf(db, org.id, memberId);
  if (!member) throw new AppError("not_found", NOT_A_MEMBER);
  return member;
}

/**
 * Removes another member, after the org name was typed to confirm. Under the org
 * row lock: two members removing each other at once cannot both succeed (the
 * second is no longer a member), and the last member can never be removed.
 * Their API tokens stay but stop working (membership is checked on every use).
 */
export async function removeMember(
  db: Db,
  actor: Actor,
  input: { org: OrgRef; userId: unknown },
): Promise<{ name: string; email: string; orgName: string }> {
  return inTransaction(db, async (tx) => {
    const { org, role } = await lockOrgForMember(tx, actor.userId, input.org, "members.remove");
    if (uuidOrUndefined(input.userId) === actor.userId)
      throw new AppError("validation", "To remove yourself, leave the organization instead.");
    const target = await memberOf(tx, org.id, input.userId);
    if (!target) throw new AppError("not_found", NOT_A_MEMBER);
    const targetId = target.userId;
    // Admins remove members below owner; only an owner removes an owner, and never the last one.
    if (target.role === "owner") {
      requirePermission(role, "owners.manage");
      if ((await countOwners(tx, org.id)) <= 1) throw new AppError("conflict", LAST_OWNER_MESSAGE);
    }
    if ((await countMembers(tx, org.id)) <= 1) throw new AppError("conflict", LAST_MEMBER_MESSAGE);
    await tx.delete(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, targetId)));
    await tx
      .update(users)
      .set({ lastOrgId: null })
      .where(and(eq(users.id, targetId), eq(users.lastOrgId, org.id)));
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: "member.removed",
      target: { type: "user", id: targetId, label: target.email },
      metadata: { name: target.name },
    });
    return { name: target.name, email: target.email, orgName: org.name };
  });
}

export const MEMBER_SEARCH_LIMIT = 10;

/**
 * Members whose name or email contains `query` (case-insensitive), names
 * starting with it first, then by name: the activity page's actor search, which
 * reaches any member however many there are. No count, no paging. Membership checked.
 */
export async function searchMembers(
  db: Db,
  userId: string,
  orgRef: OrgRef,
  options: { query?: unknown; limit?: number } = {},
): Promise<Pick<MemberRow, "userId" | "name" | "email">[]> {
  const { org } = await requireMembership(db, userId, orgRef);
  const limit = Math.min(Math.max(options.limit ?? MEMBER_SEARCH_LIMIT, 1), 50);
  const query = typeof options.query === "string" ? options.query.trim().slice(0, 100) : "";
  const pattern = escapeLike(query);
  return db
    .select({ userId: users.id, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(eq(memberships.orgId, org.id), query ? or(ilike(users.name, `%${pattern}%`), ilike(users.email, `%${pattern}%`)) : undefined),
    )
    .orderBy(sql`${users.name} not ilike ${`${pattern}%`}`, asc(users.name), asc(users.id))
    .limit(limit);
}

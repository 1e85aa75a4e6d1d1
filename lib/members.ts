import { and, asc, count, eq, gt, ilike, or } from "drizzle-orm";
import type { Db } from "@/db";
import { memberships, users, type Organization } from "@/db/schema";
import { recordActivity } from "./activity";
import type { Actor } from "./actor";
import { AppError } from "./errors";
import { LAST_MEMBER_MESSAGE, lockOrgForMember, requireMembership } from "./memberships";
import { inTransaction } from "./transaction";

export const MEMBERS_PAGE_SIZE = 50;

export interface MemberRow {
  userId: string;
  name: string;
  email: string;
  joinedAt: Date;
}

interface Cursor {
  joinedAt: string;
  userId: string;
}

function encodeCursor(row: MemberRow): string {
  return Buffer.from(JSON.stringify({ joinedAt: row.joinedAt.toISOString(), userId: row.userId } satisfies Cursor)).toString("base64url");
}

function decodeCursor(value: unknown): Cursor | undefined {
  if (typeof value !== "string" || value.length > 200) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Partial<Cursor>;
    if (typeof parsed.joinedAt !== "string" || Number.isNaN(Date.parse(parsed.joinedAt))) return undefined;
    if (typeof parsed.userId !== "string" || !/^[0-9a-f-]{36}$/i.test(parsed.userId)) return undefined;
    return { joinedAt: parsed.joinedAt, userId: parsed.userId };
  } catch {
    return undefined;
  }
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/**
 * A page of an org's members, oldest first, optionally filtered by name or
 * email. Keyset pagination on (joined_at, user_id) — the memberships index —
 * so a deep page costs the same as the first.
 */
export async function listMembers(
  db: Db,
  userId: string,
  orgName: unknown,
  options: { query?: unknown; cursor?: unknown; limit?: number } = {},
): Promise<{ org: Organization; members: MemberRow[]; total: number; nextCursor?: string }> {
  const { org } = await requireMembership(db, userId, orgName);
  const limit = Math.min(Math.max(options.limit ?? MEMBERS_PAGE_SIZE, 1), 200);
  const query = typeof options.query === "string" ? options.query.trim().slice(0, 100) : "";
  const cursor = decodeCursor(options.cursor);
  const search = query ? or(ilike(users.name, `%${escapeLike(query)}%`), ilike(users.email, `%${escapeLike(query)}%`)) : undefined;
  const after = cursor
    ? or(
        gt(memberships.joinedAt, new Date(cursor.joinedAt)),
        and(eq(memberships.joinedAt, new Date(cursor.joinedAt)), gt(memberships.userId, cursor.userId)),
      )
    : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({ userId: users.id, name: users.name, email: users.email, joinedAt: memberships.joinedAt })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, org.id), search, after))
      .orderBy(asc(memberships.joinedAt), asc(memberships.userId))
      .limit(limit + 1),
    db
      .select({ value: count() })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, org.id), search)),
  ]);
  const members = rows.slice(0, limit);
  const last = members.at(-1);
  return { org, members, total: total?.value ?? 0, nextCursor: rows.length > limit && last ? encodeCursor(last) : undefined };
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
  input: { orgName: unknown; userId: unknown; confirmation: unknown },
): Promise<{ name: string; email: string; orgName: string }> {
  return inTransaction(db, async (tx) => {
    const org = await lockOrgForMember(tx, actor.userId, input.orgName);
    if (input.confirmation !== org.name) {
      throw new AppError("validation", "Type the organization name to confirm.", { confirmation: [`Type ${org.name} to confirm.`] });
    }
    const targetId = typeof input.userId === "string" && /^[0-9a-f-]{36}$/i.test(input.userId) ? input.userId : undefined;
    if (targetId === actor.userId) throw new AppError("validation", "To remove yourself, leave the organization instead.");
    const [target] = targetId
      ? await tx
          .select({ name: users.name, email: users.email })
          .from(memberships)
          .innerJoin(users, eq(users.id, memberships.userId))
          .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, targetId)))
      : [];
    if (!target || !targetId) throw new AppError("not_found", "This person is not a member of the organization.");
    const [members] = await tx.select({ value: count() }).from(memberships).where(eq(memberships.orgId, org.id));
    if ((members?.value ?? 0) <= 1) throw new AppError("conflict", LAST_MEMBER_MESSAGE);
    await tx.delete(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, targetId)));
    await tx.update(users).set({ lastOrgId: null }).where(and(eq(users.id, targetId), eq(users.lastOrgId, org.id)));
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: "member.removed",
      target: { type: "user", id: targetId, label: target.email },
      metadata: { name: target.name },
    });
    return { ...target, orgName: org.name };
  });
}


import { randomBytes } from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";

import type { Db } from "@/db/client";
import { memberships, users, type Organization } from "@/db/schema";
import { signUp } from "@/lib/auth/sign-up";
import type { Actor } from "@/lib/core/actor";
import { addMemberWithinOrgLimit } from "@/lib/orgs/memberships";
import { createOrganization } from "@/lib/orgs/organizations";
import type { Role } from "@/lib/shared/roles";

/** A fresh address per test, so tests sharing one database never see each other's rows. */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(5).toString("hex")}@example.test`;
}

/** A fresh client IP per test, so per-IP rate limits never leak between tests. */
export function uniqueIp(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
}

/** A password that passes every rule and is not on the common list. */
export function strongPassword(): string {
  return `correct horse ${randomBytes(6).toString("hex")}`;
}

/** A fresh, valid organization name (a DNS label well under 39 characters). */
export function uniqueOrgName(prefix = "org"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

export interface SeededUser {
  id: string;
  email: string;
  password: string;
  name: string;
}

/**
 * Signs a user up through lib/ (as the app does) and returns what a test needs to
 * sign in. The address is verified, as opening the e-mailed link does (creating an
 * organization and inviting need it), unless `verified: false`.
 */
export async function seedUser(
  db: Db,
  overrides: Partial<Pick<SeededUser, "email" | "password" | "name">> & { verified?: boolean } = {},
): Promise<SeededUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? strongPassword();
  const name = overrides.name ?? "Test User";
  await signUp(db, { name, email, password }, { ip: uniqueIp() });
  const [row] = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.email, email.trim().toLowerCase()));
  if (!row) throw new Error(`seedUser: no user row for ${email}`);
  if (overrides.verified !== false)
    await db
      .update(users)
      .set({ emailVerifiedAt: sql`now()` })
      .where(eq(users.id, row.id));
  return { id: row.id, email: row.email, password, name };
}

export function findUserByEmail(db: Db, email: string) {
  return db
    .select()
    .from(users)
    .where(eq(users.email, email.toLowerCase()))
    .then((rows) => rows[0]);
}

/** The actor a server action would build for this user, with a recognisable IP and user agent. */
export function actorOf(user: Pick<SeededUser, "id" | "name" | "email">, extra: Partial<Actor> = {}): Actor {
  return { userId: user.id, name: user.name, email: user.email, ip: uniqueIp(), userAgent: "Mozilla/5.0 (vitest)", ...extra };
}

/** Creates an organization through lib/ with `user` as its first member. */
export function seedOrg(db: Db, user: Pick<SeededUser, "id" | "name" | "email">, name = uniqueOrgName()): Promise<Organization> {
  return createOrganization(db, actorOf(user), { name });
}

/** Adds `userId` to the org as joining does (within the user's organization limit). */
export function addMember(db: Db, userId: string, orgId: string, role: Role = "member"): Promise<void> {
  return db.transaction((tx) => addMemberWithinOrgLimit(tx as unknown as Db, userId, orgId, role));
}

export async function membershipCount(db: Db, where: { orgId?: string; userId?: string }): Promise<number> {
  const conditions = [
    where.orgId ? eq(memberships.orgId, where.orgId) : undefined,
    where.userId ? eq(memberships.userId, where.userId) : undefined,
  ];
  const [row] = await db
    .select({ value: count() })
    .from(memberships)
    .where(and(...conditions));
  return row?.value ?? 0;
}

import "server-only";

import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";

import type { Db } from "@/db";
import { apiTokens, memberships, organizations, users } from "@/db/schema";
import { recordActivity } from "@/lib/activity/record";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { notExpired } from "@/lib/core/expiry";
import { uuidOrUndefined } from "@/lib/core/ids";
import { parseOrThrow } from "@/lib/core/parse";
import { hashToken } from "@/lib/core/secure-token";
import { inTransaction } from "@/lib/core/transaction";
import { lockOrgForMember, requireMembership, requirePermission, type OrgRef } from "@/lib/orgs/access";
import { TwoFactorRequiredError } from "@/lib/orgs/two-factor-compliance";

export const API_TOKEN_PREFIX = "oc_";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
// 32 random bytes need 43 base62 digits.
const SECRET_LENGTH = 43;
const TOKEN_PATTERN = new RegExp(`^${API_TOKEN_PREFIX}[0-9A-Za-z]{${SECRET_LENGTH}}$`);
const LAST_USED_THROTTLE_SECONDS = 60;

export const TOKEN_EXPIRY_OPTIONS = { "30d": 30, "90d": 90, "1y": 365, never: null } as const;

export const createTokenSchema = z.object({
  name: z
    .string({ error: "Enter a name for the token." })
    .trim()
    .min(2, "Use at least 2 characters.")
    .max(128, "Use at most 128 characters."),
  description: z
    .string()
    .trim()
    .max(500, "Use at most 500 characters.")
    .optional()
    .transform((value) => value || undefined),
  expiresIn: z.enum(["30d", "90d", "1y", "never"], { error: "Choose when the token expires." }).default("90d"),
});

function base62(bytes: Buffer): string {
  let value = BigInt(`0x${bytes.toString("hex")}`);
  let out = "";
  while (value > 0n) {
    out = BASE62[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out.padStart(SECRET_LENGTH, "0");
}

/** `oc_` + base62 of 32 random bytes. */
export function newApiTokenSecret(): string {
  return API_TOKEN_PREFIX + base62(randomBytes(32));
}

export type TokenStatus = "active" | "expired" | "inactive";

export interface ApiTokenRow {
  id: string;
  name: string;
  description: string | null;
  hint: string;
  createdByName: string;
  ownerId: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  status: TokenStatus;
}

/** Creates a token for the actor in the org; the plaintext is returned once and never stored. */
export async function createApiToken(
  db: Db,
  actor: Actor,
  input: { org: OrgRef; name: unknown; description?: unknown; expiresIn?: unknown },
): Promise<{ token: string; id: string; name: string; expiresAt: Date | null }> {
  const { name, description, expiresIn } = parseOrThrow(createTokenSchema, {
    name: input.name,
    description: input.description ?? undefined,
    expiresIn: input.expiresIn || undefined,
  });
  const days = TOKEN_EXPIRY_OPTIONS[expiresIn];
  const token = newApiTokenSecret();
  return inTransaction(db, async (tx) => {
    const { org } = await lockOrgForMember(tx, actor.userId, input.org, "tokens.create");
    const [row] = await tx
      .insert(apiTokens)
      .values({
        orgId: org.id,
        userId: actor.userId,
        createdByName: actor.name,
        name,
        description,
        hint: `${token.slice(0, API_TOKEN_PREFIX.length + 4)}…${token.slice(-4)}`,
        tokenHash: hashToken(token),
        expiresAt: days === null ? null : sql`now() + make_interval(days => ${days})`,
      })
      .returning({ id: apiTokens.id, name: apiTokens.name, expiresAt: apiTokens.expiresAt });
    await recordActivity(tx, { orgId: org.id, actor, type: "api_token.created", target: { type: "api_token", id: row!.id, label: name } });
    return { token, ...row! };
  });
}

/** Every token of the org, with its status: a token whose owner left is kept but inactive. */
export async function listApiTokens(db: Db, userId: string, orgRef: OrgRef): Promise<ApiTokenRow[]> {
  const { org } = await requireMembership(db, userId, orgRef);
  const rows = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      description: apiTokens.description,
      hint: apiTokens.hint,
      createdByName: apiTokens.createdByName,
      ownerId: apiTokens.userId,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      expiresAt: apiTokens.expiresAt,
      expired: sql<boolean>`coalesce(${apiTokens.expiresAt} <= now(), false)`,
      ownerIsMember: sql<boolean>`${memberships.userId} is not null`,
    })
    .from(apiTokens)
    .leftJoin(memberships, and(eq(memberships.orgId, apiTokens.orgId), eq(memberships.userId, apiTokens.userId)))
    .where(eq(apiTokens.orgId, org.id))
    .orderBy(desc(apiTokens.createdAt))
    .limit(500);
  return rows.map(({ expired, ownerIsMember, ...row }) => ({
    ...row,
    status: !ownerIsMember ? "inactive" : expired ? "expired" : "active",
  }));
}

/**
 * Deletes a token of the org (the form asked for its name to be typed; the API
 * call is its own confirmation). Anyone deletes their own (whatever their role is
 * now); owners and admins delete anyone's.
 */
export async function deleteApiToken(db: Db, actor: Actor, input: { org: OrgRef; tokenId: unknown }): Promise<{ name: string }> {
  return inTransaction(db, async (tx) => {
    const { org, role } = await lockOrgForMember(tx, actor.userId, input.org, "org.view");
    const id = uuidOrUndefined(input.tokenId);
    const [token] = id
      ? await tx
          .select()
          .from(apiTokens)
          .where(and(eq(apiTokens.id, id), eq(apiTokens.orgId, org.id)))
      : [];
    if (!token) throw new AppError("not_found", "This API token does not exist in this organization.");
    if (token.userId !== actor.userId) requirePermission(role, "tokens.manage");
    await tx.delete(apiTokens).where(and(eq(apiTokens.id, token.id), eq(apiTokens.orgId, org.id)));
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: "api_token.deleted",
      target: { type: "api_token", id: token.id, label: token.name },
    });
    return { name: token.name };
  });
}

/** Why every token of a user goes at once; kept in each activity entry's metadata. */
export type TokenRevocationReason = "signed_out_everywhere" | "password_reset";

/**
 * Deletes every API token the actor owns, in every org, including orgs they
 * left (where a token would work again if they rejoined), and records each
 * deletion in its org's activity stream. For an account that may be
 * compromised: call it in the transaction of the change that asks for it.
 * Returns how many tokens were deleted.
 */
export async function revokeApiTokensOf(tx: Db, actor: Actor, reason: TokenRevocationReason): Promise<number> {
  const deleted = await tx
    .delete(apiTokens)
    .where(eq(apiTokens.userId, actor.userId))
    .returning({ id: apiTokens.id, orgId: apiTokens.orgId, name: apiTokens.name });
  for (const token of deleted) {
    await recordActivity(tx, {
      orgId: token.orgId,
      actor,
      type: "api_token.deleted",
      target: { type: "api_token", id: token.id, label: token.name },
      metadata: { reason },
    });
  }
  return deleted.length;
}

export interface ApiContext {
  actor: Actor;
  org: { id: string; name: string };
}

/**
 * The actor behind an `Authorization: Bearer` header, or nothing. The token must
 * be unexpired and its owner a member of its org right now (the query joins the
 * live membership), so a removed member's token stops at once and works again
 * if they rejoin. Callers answer every failure with the same 401.
 */
export async function authenticateApiToken(
  db: Db,
  authorization: string | null,
  request: { ip?: string; userAgent?: string | null } = {},
): Promise<ApiContext | undefined> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  const token = match?.[1];
  if (!token || !TOKEN_PATTERN.test(token)) return undefined;
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      tokenName: apiTokens.name,
      userId: users.id,
      name: users.name,
      email: users.email,
      orgId: organizations.id,
      orgName: organizations.name,
      requireTwoFactor: organizations.requireTwoFactor,
      twoFactorEnabledAt: users.twoFactorEnabledAt,
    })
    .from(apiTokens)
    .innerJoin(memberships, and(eq(memberships.orgId, apiTokens.orgId), eq(memberships.userId, apiTokens.userId)))
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .innerJoin(organizations, eq(organizations.id, apiTokens.orgId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), or(isNull(apiTokens.expiresAt), notExpired(apiTokens.expiresAt))));
  if (!row) return undefined;
  // A real token in an org whose two-factor policy its owner does not meet: 403 with the reason, not 401.
  if (row.requireTwoFactor && !row.twoFactorEnabledAt) throw new TwoFactorRequiredError(row.orgName);
  // Throttled: one write a minute per token, not one per request.
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiTokens.id, row.tokenId),
        or(isNull(apiTokens.lastUsedAt), sql`${apiTokens.lastUsedAt} < now() - make_interval(secs => ${LAST_USED_THROTTLE_SECONDS})`),
      ),
    );
  return {
    actor: {
      userId: row.userId,
      name: row.name,
      email: row.email,
      tokenId: row.tokenId,
      tokenName: row.tokenName,
      ip: request.ip,
      userAgent: request.userAgent,
    },
    org: { id: row.orgId, name: row.orgName },
  };
}

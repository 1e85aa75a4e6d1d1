import "server-only";

import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";

import type { Db } from "@/db";
import { secrets } from "@/db/schema";
import { recordActivity } from "@/lib/activity/record";
import type { Actor } from "@/lib/core/actor";
import { answerUniqueViolation, AppError, nameTakenError } from "@/lib/core/errors";
import { uuidOrUndefined } from "@/lib/core/ids";
import { parseOrThrow } from "@/lib/core/parse";
import { inTransaction } from "@/lib/core/transaction";
import { lockOrgForMember, requireMembership, type OrgRef } from "@/lib/orgs/access";

import { KEY_VERSION, openSecret, sealSecret } from "./secret-box";

export const SECRET_VALUE_MAX = 65_536;
const NOT_FOUND = "This secret does not exist in this organization.";

export const secretNameSchema = z
  .string({ error: "Enter a name for the secret." })
  .min(1, "Enter a name for the secret.")
  .max(128, "A secret name has at most 128 characters.")
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]*$/,
    "Use letters, digits, underscores and dashes, starting with a letter or an underscore, like DATABASE_URL.",
  );

export const secretValueSchema = z
  .string({ error: "Enter the secret's value." })
  .min(1, "Enter the secret's value.")
  .max(SECRET_VALUE_MAX, `A secret value has at most ${SECRET_VALUE_MAX} characters.`);

/** A secret as lists show it: never the value. */
export interface SecretSummary {
  id: string;
  name: string;
  createdByName: string;
  createdAt: Date;
  updatedAt: Date;
}

const summary = {
  id: secrets.id,
  name: secrets.name,
  createdByName: secrets.createdByName,
  createdAt: secrets.createdAt,
  updatedAt: secrets.updatedAt,
};

const idOf = uuidOrUndefined;

const parse = <T>(schema: z.ZodType<T>, value: unknown): T => parseOrThrow(schema, value);

const withTakenName = <T>(name: string, work: () => Promise<T>) => answerUniqueViolation(work, () => nameTakenError("secret", name));

export async function listSecrets(db: Db, userId: string, orgRef: OrgRef): Promise<SecretSummary[]> {
  const { org } = await requireMembership(db, userId, orgRef);
  return db.select(summary).from(secrets).where(eq(secrets.orgId, org.id)).orderBy(asc(secrets.name)).limit(500);
}

export async function getSecret(db: Db, userId: string, orgRef: OrgRef, secretId: unknown): Promise<SecretSummary> {
  const { org } = await requireMembership(db, userId, orgRef);
  const id = idOf(secretId);
  const [row] = id
    ? await db
        .select(summary)
        .from(secrets)
        .where(and(eq(secrets.id, id), eq(secrets.orgId, org.id)))
    : [];
  if (!row) throw new AppError("not_found", NOT_FOUND);
  return row;
}

export async function createSecret(db: Db, actor: Actor, input: { org: OrgRef; name: unknown; value: unknown }): Promise<SecretSummary> {
  const { name, value } = parse(z.object({ name: secretNameSchema, value: secretValueSchema }), { name: input.name, value: input.value });
  return inTransaction(db, async (tx) => {
    const { org } = await lockOrgForMember(tx, actor.userId, input.org, "resources.write");
    const id = randomUUID();
    const [row] = await withTakenName(name, () =>
      tx
        .insert(secrets)
        .values({
          id,
          orgId: org.id,
          name,
          valueCiphertext: sealSecret(value, { orgId: org.id, secretId: id }),
          keyVersion: KEY_VERSION,
          createdBy: actor.userId,
          createdByName: actor.name,
        })
        .returning(summary),
    );
    await recordActivity(tx, { orgId: org.id, actor, type: "secret.created", target: { type: "secret", id, label: name } });
    return row!;
  });
}

/** Renames a secret and/or replaces its value; one activity entry says which. */
export async function updateSecret(
  db: Db,
  actor: Actor,
  input: { org: OrgRef; secretId: unknown; name?: unknown; value?: unknown },
): Promise<SecretSummary> {
  const changes = parse(z.object({ name: secretNameSchema.optional(), value: secretValueSchema.optional() }), {
    name: input.name === "" ? undefined : input.name,
    value: input.value === "" ? undefined : input.value,
  });
  if (changes.name === undefined && changes.value === undefined) throw new AppError("validation", "Enter a new name or a new value.");
  return inTransaction(db, async (tx) => {
    const { org } = await lockOrgForMember(tx, actor.userId, input.org, "resources.write");
    const id = idOf(input.secretId);
    const [current] = id
      ? await tx
          .select(summary)
          .from(secrets)
          .where(and(eq(secrets.id, id), eq(secrets.orgId, org.id)))
      : [];
    if (!current) throw new AppError("not_found", NOT_FOUND);
    const name = changes.name ?? current.name;
    const [row] = await withTakenName(name, () =>
      tx
        .update(secrets)
        .set({
          name,
          ...(changes.value !== undefined
            ? { valueCiphertext: sealSecret(changes.value, { orgId: org.id, secretId: current.id }), keyVersion: KEY_VERSION }
            : {}),
          updatedAt: sql`now()`,
        })
        .where(and(eq(secrets.id, current.id), eq(secrets.orgId, org.id)))
        .returning(summary),
    );
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: "secret.updated",
      target: { type: "secret", id: current.id, label: name },
      metadata: { ...(name !== current.name ? { from: current.name, to: name } : {}), valueChanged: changes.value !== undefined },
    });
    return row!;
  });
}

export async function deleteSecret(db: Db, actor: Actor, input: { org: OrgRef; secretId: unknown }): Promise<{ name: string }> {
  return inTransaction(db, async (tx) => {
    const { org } = await lockOrgForMember(tx, actor.userId, input.org, "resources.write");
    const id = idOf(input.secretId);
    const [deleted] = id
      ? await tx
          .delete(secrets)
          .where(and(eq(secrets.id, id), eq(secrets.orgId, org.id)))
          .returning(summary)
      : [];
    if (!deleted) throw new AppError("not_found", NOT_FOUND);
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: "secret.deleted",
      target: { type: "secret", id: deleted.id, label: deleted.name },
    });
    return { name: deleted.name };
  });
}

/**
 * Decrypts a secret's value for the actor. Revealing is itself recorded in the
 * activity stream, in the same transaction as the read.
 */
export async function revealSecret(
  db: Db,
  actor: Actor,
  input: { org: OrgRef; secretId: unknown },
): Promise<SecretSummary & { value: string }> {
  return inTransaction(db, async (tx) => {
    const { org } = await requireMembership(tx, actor.userId, input.org, "resources.write");
    const id = idOf(input.secretId);
    const [row] = id
      ? await tx
          .select()
          .from(secrets)
          .where(and(eq(secrets.id, id), eq(secrets.orgId, org.id)))
      : [];
    if (!row) throw new AppError("not_found", NOT_FOUND);
    const value = openSecret(row.valueCiphertext, { orgId: org.id, secretId: row.id });
    await recordActivity(tx, { orgId: org.id, actor, type: "secret.revealed", target: { type: "secret", id: row.id, label: row.name } });
    return { id: row.id, name: row.name, createdByName: row.createdByName, createdAt: row.createdAt, updatedAt: row.updatedAt, value };
  });
}

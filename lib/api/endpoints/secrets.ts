import "server-only";

import { z } from "zod";

import {
  createSecret,
  deleteSecret,
  listSecrets,
  revealSecret,
  secretNameSchema,
  secretValueSchema,
  updateSecret,
  type SecretSummary,
} from "@/lib/secrets/secrets";

import { defineEndpoint } from "../endpoint";
import { idParams, iso, timestamp, uuid } from "../schemas";

const summaryShape = {
  id: uuid,
  name: z.string().meta({ example: "DATABASE_URL" }),
  createdByName: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
};

/** Lists and writes never return a value: only an explicit (and recorded) read does. */
export const secretSchema = z.object(summaryShape).meta({ id: "Secret" });
export const secretWithValueSchema = z.object({ ...summaryShape, value: z.string() }).meta({ id: "SecretWithValue" });

const name = secretNameSchema.meta({
  description: "Letters, digits, `_` and `-`, starting with a letter or `_`.",
  example: "DATABASE_URL",
});
const value = secretValueSchema.meta({ description: "Stored encrypted; at most 65,536 characters." });

const toSecret = (row: SecretSummary) => ({
  id: row.id,
  name: row.name,
  createdByName: row.createdByName,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});
const secretParams = idParams("secret");

export const listSecretsEndpoint = defineEndpoint({
  method: "GET",
  path: "/secrets",
  operationId: "listSecrets",
  tag: "Secrets",
  summary: "List secrets (without values)",
  response: z.object({ data: z.array(secretSchema) }),
  responseDescription: "Every secret of the organization, by name, without its value.",
  handler: async (db, ctx) => ({ data: (await listSecrets(db, ctx.actor.userId, { id: ctx.org.id })).map(toSecret) }),
});

export const createSecretEndpoint = defineEndpoint({
  method: "POST",
  path: "/secrets",
  operationId: "createSecret",
  tag: "Secrets",
  summary: "Create a secret",
  body: z.strictObject({ name, value }),
  response: secretSchema,
  status: 201,
  location: (secret) => `/secrets/${secret.id}`,
  responseDescription: "The new secret, without its value.",
  errors: [409, 422],
  handler: async (db, ctx, { body }) =>
    toSecret(await createSecret(db, ctx.actor, { org: { id: ctx.org.id }, name: body.name, value: body.value })),
});

export const revealSecretEndpoint = defineEndpoint({
  method: "GET",
  path: "/secrets/{id}",
  operationId: "revealSecret",
  tag: "Secrets",
  summary: "Read a secret with its value",
  description: "Returns the decrypted value and records a `secret.revealed` entry in the activity stream.",
  params: secretParams,
  response: secretWithValueSchema,
  responseDescription: "The secret and its value.",
  errors: [404],
  handler: async (db, ctx, { params }) => {
    const secret = await revealSecret(db, ctx.actor, { org: { id: ctx.org.id }, secretId: params.id });
    return { ...toSecret(secret), value: secret.value };
  },
});

export const updateSecretEndpoint = defineEndpoint({
  method: "PATCH",
  path: "/secrets/{id}",
  operationId: "updateSecret",
  tag: "Secrets",
  summary: "Rename a secret and/or replace its value",
  params: secretParams,
  body: z.strictObject({ name: name.optional(), value: value.optional() }),
  response: secretSchema,
  responseDescription: "The secret, without its value.",
  errors: [404, 409, 422],
  handler: async (db, ctx, { params, body }) =>
    toSecret(await updateSecret(db, ctx.actor, { org: { id: ctx.org.id }, secretId: params.id, name: body.name, value: body.value })),
});

export const deleteSecretEndpoint = defineEndpoint({
  method: "DELETE",
  path: "/secrets/{id}",
  operationId: "deleteSecret",
  tag: "Secrets",
  summary: "Delete a secret",
  params: secretParams,
  responseDescription: "Deleted.",
  errors: [404],
  handler: async (db, ctx, { params }) => {
    await deleteSecret(db, ctx.actor, { org: { id: ctx.org.id }, secretId: params.id });
  },
});

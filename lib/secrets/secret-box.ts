import "server-only";

import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

import { env } from "@/lib/core/env";

/**
 * Secret values at rest: AES-256-GCM with a random 96-bit IV per value and the
 * secret's id and org as additional data, so a ciphertext copied onto another
 * row (or org) does not decrypt. Stored as "v1.<iv>.<tag>.<ciphertext>".
 */
const VERSION = "v1";
export const KEY_VERSION = 1;
// GCM accepts tags down to 4 bytes unless told otherwise; a short tag is cheap to forge.
const TAG_BYTES = 16;

function key(): Buffer {
  const raw = env().SECRETS_KEY;
  if (!raw) throw new Error("SECRETS_KEY is not set: it encrypts secret values (32 random bytes, base64). `npm run dev` generates one.");
  const bytes = Buffer.from(raw, "base64");
  if (bytes.length !== 32) throw new Error("SECRETS_KEY must be 32 bytes, base64-encoded (openssl rand -base64 32).");
  return bytes;
}

export function sealSecret(plaintext: string, boundTo: { orgId: string; secretId: string }): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(`${boundTo.orgId}/${boundTo.secretId}`));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function openSecret(sealed: string, boundTo: { orgId: string; secretId: string }): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error("Unknown secret format");
  const authTag = Buffer.from(tag, "base64url");
  if (authTag.length !== TAG_BYTES) throw new Error("Invalid secret authentication tag");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(`${boundTo.orgId}/${boundTo.secretId}`));
  decipher.setAuthTag(authTag);
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

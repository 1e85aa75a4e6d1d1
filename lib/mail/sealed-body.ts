import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

import { env } from "@/lib/core/env";

/**
 * The full body of an e-mail that carries a one-time link, kept only while it is
 * needed: until delivery (for a retry) or, with the development outbox, for
 * /dev/mail to show it. AES-256-GCM under a key derived from AUTH_SECRET, bound
 * to the e-mail's id: a database dump or backup alone opens nothing.
 * Stored as "v1.<iv>.<tag>.<ciphertext>", base64url parts.
 */
export interface MailBody {
  html: string;
  text: string;
}

const VERSION = "v1";
let derived: { secret: string; key: Buffer } | undefined;

function key(): Buffer {
  const secret = env().AUTH_SECRET;
  if (derived?.secret !== secret) {
    derived = { secret, key: Buffer.from(hkdfSync("sha256", secret, "", "console mail body v1", 32)) };
  }
  return derived.key;
}

export function sealMailBody(body: MailBody, emailId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(`email/${emailId}`));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(body), "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

/** The sealed body, or undefined when it cannot be opened (another AUTH_SECRET, another row). */
export function openMailBody(sealed: string, emailId: string): MailBody | undefined {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(`email/${emailId}`));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    const json = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
    const body = JSON.parse(json) as MailBody;
    return typeof body.html === "string" && typeof body.text === "string" ? body : undefined;
  } catch {
    return undefined;
  }
}

export const REDACTED = "[redacted]";

/** `value` with every occurrence of each secret replaced by [redacted]. */
export function redactSecrets(value: string, secrets: readonly string[]): string {
  let result = value;
  for (const secret of secrets) if (secret) result = result.split(secret).join(REDACTED);
  return result;
}

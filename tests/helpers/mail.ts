import { and, desc, eq } from "drizzle-orm";
import { expect } from "vitest";

import type { Db } from "@/db/client";
import { emails, type Email } from "@/db/schema";
import { readableEmail } from "@/lib/mail/send";

/**
 * Every e-mail sent to `to` (newest first), optionally of one template, as the
 * recipient got it: tests run with the development outbox, which keeps the full
 * body sealed (the stored columns show one-time secrets as [redacted]).
 */
export async function emailsTo(db: Db, to: string, template?: string): Promise<Email[]> {
  const where = template ? and(eq(emails.to, to), eq(emails.template, template)) : eq(emails.to, to);
  const rows = await db.select().from(emails).where(where).orderBy(desc(emails.createdAt));
  return rows.map(readableEmail);
}

export async function latestEmailTo(db: Db, to: string, template?: string): Promise<Email> {
  const [latest] = await emailsTo(db, to, template);
  if (!latest) throw new Error(`No e-mail${template ? ` "${template}"` : ""} to ${to}`);
  return latest;
}

/**
 * The token of the first link `APP_URL + pathPrefix + token` in an e-mail. Checks that the
 * html (the button) and the text part carry the same link.
 */
export function linkToken(email: Pick<Email, "html" | "text">, pathPrefix: string): string {
  const base = `${process.env.APP_URL ?? "http://localhost:3000"}${pathPrefix}`;
  const pattern = new RegExp(`${escapeRegExp(base)}([A-Za-z0-9_-]+)`);
  const inText = email.text.match(pattern)?.[1];
  const inHtml = email.html.match(pattern)?.[1];
  if (!inText) throw new Error(`No ${base}<token> link in the e-mail text:\n${email.text}`);
  expect(inHtml, "the html link equals the text link").toBe(inText);
  return inText;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The secret of the newest invitation e-mailed to `to` (its `APP_URL/invitations/<token>` link). */
export async function invitationToken(db: Db, to: string): Promise<string> {
  return linkToken(await latestEmailTo(db, to.toLowerCase(), "invitation"), "/invitations/");
}

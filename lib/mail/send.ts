import "server-only";

import { randomUUID } from "node:crypto";
import { render, toPlainText } from "@react-email/components";
import { and, desc, eq } from "drizzle-orm";
import type { ReactElement } from "react";

import type { Db } from "@/db";
import { emails, type Email } from "@/db/schema";
import { mailTransport } from "@/lib/core/env";
import { inTransaction } from "@/lib/core/transaction";
import { enqueue } from "@/lib/jobs/queue";

import { redactSecrets, sealMailBody, type MailBody } from "./sealed-body";

export { readableEmail } from "./deliver";

export interface MailMessage {
  /** The template's name, kept with the row so the outbox says what each mail was. */
  template: string;
  to: string;
  subject: string;
  react: ReactElement;
  /**
   * The one-time secrets the e-mail carries (a link's token). They are never stored
   * or logged in the clear: the stored copy shows [redacted], and the full body is
   * kept sealed only until delivery, or for the development outbox page.
   */
  secrets?: string[];
}

/**
 * Records the e-mail and queues its delivery, in the caller's transaction: a
 * rollback sends nothing, a commit always sends (lib/jobs, `mail.deliver`),
 * retrying through a provider outage until it is delivered or its attempts run out.
 */
export async function queueEmail(tx: Db, message: MailMessage): Promise<Email> {
  const html = await render(message.react);
  const body: MailBody = { html, text: toPlainText(html) };
  const secrets = message.secrets ?? [];
  // The id is chosen here because the sealed body is bound to it.
  const id = randomUUID();
  const [row] = await tx
    .insert(emails)
    .values({
      id,
      template: message.template,
      to: message.to,
      subject: redactSecrets(message.subject, secrets),
      html: redactSecrets(body.html, secrets),
      text: redactSecrets(body.text, secrets),
      sealedBody: secrets.length > 0 ? sealMailBody(body, id) : null,
      transport: mailTransport(),
    })
    .returning();
  if (!row) throw new Error("email insert returned nothing");
  await enqueue(tx, "mail.deliver", { emailId: row.id });
  return row;
}

/**
 * Queues a dead (failed) e-mail again, for an operator: back to `queued`, with a
 * fresh job in the same transaction. A sent or already queued e-mail is left alone.
 */
export async function requeueEmail(db: Db, emailId: string): Promise<Email | undefined> {
  return inTransaction(db, async (tx) => {
    const [row] = await tx
      .update(emails)
      .set({ status: "queued", error: null })
      .where(and(eq(emails.id, emailId), eq(emails.status, "failed")))
      .returning();
    if (!row) {
      const [current] = await tx.select().from(emails).where(eq(emails.id, emailId));
      return current;
    }
    await enqueue(tx, "mail.deliver", { emailId: row.id });
    return row;
  });
}

export function listEmails(db: Db, limit = 100): Promise<Email[]> {
  return db.select().from(emails).orderBy(desc(emails.createdAt)).limit(limit);
}

export async function findEmail(db: Db, emailId: string): Promise<Email | undefined> {
  const [row] = await db.select().from(emails).where(eq(emails.id, emailId));
  return row;
}

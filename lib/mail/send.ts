import "server-only";

import { randomUUID } from "node:crypto";
import { render, toPlainText } from "@react-email/components";
import { desc, eq } from "drizzle-orm";
import type { ReactElement } from "react";
import { Resend } from "resend";

import type { Db } from "@/db";
import { emails, type Email } from "@/db/schema";
import { env, mailTransport, outboxPageEnabled } from "@/lib/core/env";

import { openMailBody, redactSecrets, sealMailBody, type MailBody } from "./sealed-body";

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
 * Records the e-mail, then delivers it. Call it after the transaction that caused
 * the mail has committed. It never throws for a delivery failure: the row is left
 * `failed` with the error, and `retryEmail` can send it again.
 */
export async function sendEmail(db: Db, message: MailMessage): Promise<Email> {
  const html = await render(message.react);
  const body: MailBody = { html, text: toPlainText(html) };
  const secrets = message.secrets ?? [];
  // The id is chosen here because the sealed body is bound to it.
  const id = randomUUID();
  const [row] = await db
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
  return deliver(db, row, body);
}

/** Sends a failed (or queued) e-mail again. */
export async function retryEmail(db: Db, emailId: string): Promise<Email | undefined> {
  const [row] = await db.select().from(emails).where(eq(emails.id, emailId));
  if (!row || row.status === "sent") return row;
  const readable = readableEmail(row);
  return deliver(db, row, { html: readable.html, text: readable.text });
}

/**
 * The e-mail as it was sent, while its sealed full body is kept (until delivery,
 * or for the development outbox); otherwise the stored copy, secrets redacted.
 */
export function readableEmail(row: Email): Email {
  const body = row.sealedBody ? openMailBody(row.sealedBody, row.id) : undefined;
  return body ? { ...row, ...body } : row;
}

export function listEmails(db: Db, limit = 100): Promise<Email[]> {
  return db.select().from(emails).orderBy(desc(emails.createdAt)).limit(limit);
}

export async function findEmail(db: Db, emailId: string): Promise<Email | undefined> {
  const [row] = await db.select().from(emails).where(eq(emails.id, emailId));
  return row;
}

export const NO_MAIL_TRANSPORT =
  "No mail transport: set RESEND_API_KEY to deliver e-mail. Production does not use the outbox unless MAIL_OUTBOX_IN_PRODUCTION=true.";

async function deliver(db: Db, row: Email, body: MailBody): Promise<Email> {
  const transport = mailTransport();
  let outcome: Partial<Email>;
  try {
    if (transport === "resend") {
      const providerId = await sendWithResend(row, body);
      outcome = { status: "sent", providerId, error: null, sentAt: new Date() };
    } else if (transport === "outbox") {
      logToConsole(row, body);
      outcome = { status: "sent", error: null, sentAt: new Date() };
    } else {
      throw new Error(NO_MAIL_TRANSPORT);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`[mail] could not send "${row.subject}" to ${row.to}: ${reason}`);
    outcome = { status: "failed", error: reason.slice(0, 1000) };
  }
  // Once handled, the full body goes, unless the development outbox page shows it
  // (a failed e-mail keeps it for the retry).
  const keepBody = outcome.status !== "sent" || (transport === "outbox" && outboxPageEnabled());
  const [updated] = await db
    .update(emails)
    .set({ ...outcome, transport, attempts: row.attempts + 1, ...(keepBody ? {} : { sealedBody: null }) })
    .where(eq(emails.id, row.id))
    .returning();
  return updated ?? row;
}

let resendClient: Resend | undefined;

async function sendWithResend(row: Email, body: MailBody): Promise<string> {
  const config = env();
  resendClient ??= new Resend(config.RESEND_API_KEY, { baseUrl: config.RESEND_BASE_URL });
  const { data, error } = await resendClient.emails.send({
    from: config.MAIL_FROM,
    to: row.to,
    subject: row.subject,
    html: body.html,
    text: body.text,
  });
  if (error || !data) throw new Error(error ? `${error.name}: ${error.message}` : "Resend returned no id");
  return data.id;
}

/** The outbox's log line. The link (a development convenience) is never printed in production. */
function logToConsole(row: Email, body: MailBody) {
  const link = env().NODE_ENV === "production" ? undefined : body.text.match(/https?:\/\/\S+/)?.[0]?.replace(/[\])>.,]+$/, "");
  console.log(`[mail] to=${row.to} subject="${row.subject}"${link ? ` link=${link}` : ""}`);
}

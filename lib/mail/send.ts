import "server-only";

import { render, toPlainText } from "@react-email/components";
import { desc, eq } from "drizzle-orm";
import type { ReactElement } from "react";
import { Resend } from "resend";
import type { Db } from "@/db";
import { emails, type Email } from "@/db/schema";
import { env, mailTransport } from "@/lib/core/env";

export interface MailMessage {
  /** The template's name, kept with the row so the outbox says what each mail was. */
  template: string;
  to: string;
  subject: string;
  react: ReactElement;
}

/**
 * Records the e-mail, then delivers it. Call it after the transaction that caused
 * the mail has committed. It never throws for a delivery failure: the row is left
 * `failed` with the error, and `retryEmail` can send it again.
 */
export async function sendEmail(db: Db, message: MailMessage): Promise<Email> {
  const html = await render(message.react);
  const [row] = await db
    .insert(emails)
    .values({
      template: message.template,
      to: message.to,
      subject: message.subject,
      html,
      text: toPlainText(html),
      transport: mailTransport(),
    })
    .returning();
  if (!row) throw new Error("email insert returned nothing");
  return deliver(db, row);
}

/** Sends a failed (or queued) e-mail again. */
export async function retryEmail(db: Db, emailId: string): Promise<Email | undefined> {
  const [row] = await db.select().from(emails).where(eq(emails.id, emailId));
  if (!row || row.status === "sent") return row;
  return deliver(db, row);
}

export function listEmails(db: Db, limit = 100): Promise<Email[]> {
  return db.select().from(emails).orderBy(desc(emails.createdAt)).limit(limit);
}

export async function findEmail(db: Db, emailId: string): Promise<Email | undefined> {
  const [row] = await db.select().from(emails).where(eq(emails.id, emailId));
  return row;
}

async function deliver(db: Db, row: Email): Promise<Email> {
  const transport = mailTransport();
  let outcome: Partial<Email>;
  try {
    if (transport === "resend") {
      const providerId = await sendWithResend(row);
      outcome = { status: "sent", providerId, error: null, sentAt: new Date() };
    } else {
      logToConsole(row);
      outcome = { status: "sent", error: null, sentAt: new Date() };
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`[mail] could not send "${row.subject}" to ${row.to}: ${reason}`);
    outcome = { status: "failed", error: reason.slice(0, 1000) };
  }
  const [updated] = await db
    .update(emails)
    .set({ ...outcome, transport, attempts: row.attempts + 1 })
    .where(eq(emails.id, row.id))
    .returning();
  return updated ?? row;
}

let resendClient: Resend | undefined;

async function sendWithResend(row: Email): Promise<string> {
  const config = env();
  resendClient ??= new Resend(config.RESEND_API_KEY, { baseUrl: config.RESEND_BASE_URL });
  const { data, error } = await resendClient.emails.send({
    from: config.MAIL_FROM,
    to: row.to,
    subject: row.subject,
    html: row.html,
    text: row.text,
  });
  if (error || !data) throw new Error(error ? `${error.name}: ${error.message}` : "Resend returned no id");
  return data.id;
}

function logToConsole(row: Email) {
  const link = row.text.match(/https?:\/\/\S+/)?.[0]?.replace(/[\])>.,]+$/, "");
  console.log(`[mail] to=${row.to} subject="${row.subject}"${link ? ` link=${link}` : ""}`);
}

import "server-only";

import { eq } from "drizzle-orm";
import { Resend } from "resend";

import type { Db } from "@/db";
import { emails, type Email } from "@/db/schema";
import { env, mailTransport, outboxPageEnabled } from "@/lib/core/env";

import { openMailBody, type MailBody } from "./sealed-body";

export const NO_MAIL_TRANSPORT =
  "No mail transport: set RESEND_API_KEY to deliver e-mail. Production does not use the outbox unless MAIL_OUTBOX_IN_PRODUCTION=true.";

export interface DeliveryAttempt {
  /** When this attempt fails, the e-mail is dead (`failed`) instead of waiting for the next one. */
  last: boolean;
}

/**
 * Delivers one queued e-mail (the `mail.deliver` job). Idempotent: a sent e-mail is
 * left alone, and the provider gets the e-mail's id as its idempotency key, so a
 * retry after a lost response (or a worker killed after sending) never sends twice.
 * A failure is recorded on the row, then thrown for the queue to retry.
 */
export async function deliverEmail(db: Db, emailId: string, attempt: DeliveryAttempt): Promise<Email | undefined> {
  const [row] = await db.select().from(emails).where(eq(emails.id, emailId));
  if (!row || row.status === "sent") return row;
  const transport = mailTransport();
  const body = readableEmail(row);
  let providerId: string | null = null;
  try {
    if (transport === "resend") providerId = await sendWithResend(row, body);
    else if (transport === "outbox") logToConsole(row, body);
    else throw new Error(NO_MAIL_TRANSPORT);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    await db
      .update(emails)
      .set({ status: attempt.last ? "failed" : "queued", error: reason, transport, attempts: row.attempts + 1 })
      .where(eq(emails.id, row.id));
    throw error;
  }
  // Once sent, the full body goes, unless the development outbox page shows it.
  const keepBody = transport === "outbox" && outboxPageEnabled();
  const [updated] = await db
    .update(emails)
    .set({
      status: "sent",
      providerId,
      error: null,
      sentAt: new Date(),
      transport,
      attempts: row.attempts + 1,
      ...(keepBody ? {} : { sealedBody: null }),
    })
    .where(eq(emails.id, row.id))
    .returning();
  return updated;
}

/**
 * The e-mail as it was sent, while its sealed full body is kept (until delivery,
 * or for the development outbox); otherwise the stored copy, secrets redacted.
 */
export function readableEmail(row: Email): Email {
  const body = row.sealedBody ? openMailBody(row.sealedBody, row.id) : undefined;
  return body ? { ...row, ...body } : row;
}

let resendClient: Resend | undefined;

async function sendWithResend(row: Email, body: MailBody): Promise<string> {
  const config = env();
  const resend = (resendClient ??= new Resend(config.RESEND_API_KEY, { baseUrl: config.RESEND_BASE_URL }));
  const { data, error } = await resend.emails.send(
    { from: config.MAIL_FROM, to: row.to, subject: row.subject, html: body.html, text: body.text },
    // Resend keeps the key for a day: the same e-mail sent again returns the first send's id.
    { idempotencyKey: `email/${row.id}`, signal: AbortSignal.timeout(config.MAIL_SEND_TIMEOUT_SECONDS * 1000) },
  );
  if (error || !data) throw new Error(error ? `${error.name}: ${error.message}` : "Resend returned no id");
  return data.id;
}

/** The outbox's log line. The link (a development convenience) is never printed in production. */
function logToConsole(row: Email, body: MailBody) {
  const link = env().NODE_ENV === "production" ? undefined : body.text.match(/https?:\/\/\S+/)?.[0]?.replace(/[\])>.,]+$/, "");
  console.log(`[mail] to=${row.to} subject="${row.subject}"${link ? ` link=${link}` : ""}`);
}

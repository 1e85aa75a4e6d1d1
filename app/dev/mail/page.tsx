import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { EmptyState } from "@/components/ui/empty-state";
import { List } from "@/components/ui/list";
import { getDb } from "@/db";
import { outboxPageEnabled } from "@/lib/core/env";
import { listEmails } from "@/lib/mail/send";
import { describeDelivery } from "@/lib/shared/mail-delivery";

export const metadata: Metadata = { title: "Outbox" };
export const dynamic = "force-dynamic";

const statusStyle = { sent: "bg-green-100 text-green-800", queued: "bg-zinc-100 text-zinc-700", failed: "bg-red-100 text-red-800" };

/** Every e-mail the app sent while the outbox is the transport (development and tests only). */
export default async function OutboxPage() {
  if (!outboxPageEnabled()) notFound();
  const emails = await listEmails(await getDb());
  return (
    <main className="mx-auto max-w-4xl space-y-6 px-4 py-8">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">Outbox</h1>
        <p className="mt-1 text-sm text-zinc-600">
          Set <code>RESEND_API_KEY</code> to deliver for real. Newest first.
        </p>
      </header>
      {emails.length === 0 ? (
        <EmptyState>No e-mail was sent yet.</EmptyState>
      ) : (
        <List data-testid="outbox">
          {emails.map((email) => (
            <li key={email.id}>
              <Link
                href={`/dev/mail/${email.id}`}
                className="flex flex-col gap-1 px-4 py-3 hover:bg-zinc-50 sm:flex-row sm:items-center sm:gap-4"
                data-testid="outbox-row"
              >
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-medium">{email.subject}</span>
                  <span className="block truncate text-sm text-zinc-600">to {email.to}</span>
                </span>
                <span
                  className={`w-fit rounded px-2 py-0.5 text-xs font-medium ${statusStyle[email.status]}`}
                  title={email.error ?? undefined}
                >
                  {describeDelivery(email)}
                </span>
                <time className="text-xs text-zinc-500" dateTime={email.createdAt.toISOString()}>
                  {email.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
                </time>
              </Link>
            </li>
          ))}
        </List>
      )}
    </main>
  );
}

import Link from "next/link";
import { notFound } from "next/navigation";

import { retryEmailAction } from "@/actions/dev-mail";
import { SubmitButton } from "@/components/ui/button";
import { getDb } from "@/db";
import { outboxPageEnabled } from "@/lib/core/env";
import { isUuid } from "@/lib/core/ids";
import { findEmail, readableEmail } from "@/lib/mail/send";
import { describeDelivery } from "@/lib/shared/mail-delivery";

export const dynamic = "force-dynamic";

export default async function OutboxEmailPage({ params }: { params: Promise<{ id: string }> }) {
  if (!outboxPageEnabled()) notFound();
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const stored = await findEmail(await getDb(), id);
  if (!stored) notFound();
  // The full e-mail while the outbox keeps it sealed; the stored copy has its one-time links redacted.
  const email = readableEmail(stored);
  return (
    <main className="mx-auto max-w-4xl space-y-4 px-4 py-8">
      <Link href="/dev/mail" className="text-sm text-zinc-600 underline">
        ← Outbox
      </Link>
      <h1 className="text-xl font-semibold" data-testid="email-subject">
        {email.subject}
      </h1>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-zinc-500">To</dt>
        <dd data-testid="email-to">{email.to}</dd>
        <dt className="text-zinc-500">Status</dt>
        <dd>
          {describeDelivery(email)}
          {email.error ? ` — last error: ${email.error}` : ""}
        </dd>
      </dl>
      {email.status === "failed" ? (
        <form action={retryEmailAction}>
          <input type="hidden" name="id" value={email.id} />
          <SubmitButton variant="secondary">Queue again</SubmitButton>
        </form>
      ) : null}
      {/* Sandboxed: the rendered e-mail can show links but run nothing. */}
      <iframe
        title="E-mail preview"
        sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
        srcDoc={email.html}
        className="h-[560px] w-full rounded-lg border border-zinc-200 bg-white"
      />
      <details>
        <summary className="cursor-pointer text-sm text-zinc-600">Plain text</summary>
        <pre className="mt-2 rounded-lg bg-zinc-100 p-4 text-xs whitespace-pre-wrap" data-testid="email-text">
          {email.text}
        </pre>
      </details>
    </main>
  );
}

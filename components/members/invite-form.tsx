"use client";

import Link from "next/link";
import { inviteMembersAction } from "@/actions/invitations";
import { SubmitButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";
import type { InviteOutcome, InviteStatus } from "@/lib/shared/invitations";

const statusStyle: Record<InviteStatus, string> = {
  invited: "text-green-700",
  already_member: "text-zinc-600",
  already_invited: "text-zinc-600",
  duplicate: "text-zinc-600",
  invalid: "text-red-700",
  no_seat: "text-red-700",
  rate_limited: "text-red-700",
};

export function InviteForm({
  orgName,
  seatsFull,
  seatMessage,
  verifyFirst = false,
}: {
  orgName: string;
  seatsFull: boolean;
  seatMessage?: string;
  /** The user's address is not verified yet: the page says so above, and the button waits. */
  verifyFirst?: boolean;
}) {
  const [state, formAction] = useFormAction(inviteMembersAction);
  const outcomes: InviteOutcome[] = state?.ok ? (state.data ?? []) : [];
  const failed = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} noValidate>
      <Card
        title="Invite members"
        description="Enter one or more email addresses (up to 20), separated by commas, spaces or new lines. Each person gets an e-mail with a link to join."
        footer={
          <SubmitButton disabled={seatsFull || verifyFirst} pendingLabel="Inviting…">
            Invite
          </SubmitButton>
        }
      >
        <FormMessage error={failed?.formError ?? (seatsFull ? seatMessage : undefined)} />
        {seatsFull ? (
          <Link href={`/orgs/${orgName}/settings/plan`} className="inline-block text-sm font-medium text-zinc-900 underline underline-offset-2">
            Compare plans
          </Link>
        ) : null}
        <input type="hidden" name="orgName" value={orgName} />
        <label htmlFor="invite-emails" className="sr-only">
          Email addresses
        </label>
        <textarea
          id="invite-emails"
          key={JSON.stringify(state)}
          name="emails"
          rows={3}
          disabled={seatsFull}
          defaultValue={state?.values?.emails ?? ""}
          placeholder="teammate@example.com, another@example.com"
          aria-invalid={Boolean(failed?.fieldErrors.emails) || undefined}
          aria-describedby={failed?.fieldErrors.emails ? "invite-emails-error" : undefined}
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-zinc-500 focus:ring-2 focus:ring-zinc-200 disabled:bg-zinc-100"
        />
        {failed?.fieldErrors.emails ? (
          <p id="invite-emails-error" className="text-sm text-red-600" data-testid="emails-error">
            {failed.fieldErrors.emails.join(" ")}
          </p>
        ) : null}
        {outcomes.length > 0 ? (
          <ul className="space-y-1 text-sm" aria-label="Invitation results" data-testid="invite-results">
            {outcomes.map((outcome, index) => (
              <li key={`${outcome.email}-${index}`} className="flex flex-wrap gap-x-2">
                <span className="font-medium break-all">{outcome.email}</span>
                <span className={statusStyle[outcome.status]}>{outcome.message}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </Card>
    </form>
  );
}

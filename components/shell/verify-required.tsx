"use client";

import { useActionState } from "react";

import { resendVerificationAction } from "@/actions/account";
import { SubmitButton } from "@/components/ui/button";

/**
 * Said where an action needs a verified address (creating an organization,
 * inviting), before the user tries: why, and a way to get a new link.
 */
export function VerifyRequired({ email, action }: { email: string; action: "create an organization" | "invite anyone" }) {
  const [state, formAction] = useActionState(resendVerificationAction, null);
  const message = state ? (state.ok ? state.message : state.formError) : undefined;
  return (
    <div
      role="note"
      aria-label="Verify your email address"
      data-testid="verify-required"
      className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900"
    >
      <p>
        <strong>Verify your email address to {action}.</strong> We sent a link to <strong>{email}</strong>: open it, then come back here.
        This keeps throw-away accounts from sending e-mail in your name.
      </p>
      <form action={formAction} className="flex flex-wrap items-center gap-3">
        <SubmitButton variant="secondary" className="!py-1" pendingLabel="Sending…">
          Send a new link
        </SubmitButton>
        {message ? <span data-testid="verify-required-message">{message}</span> : null}
      </form>
    </div>
  );
}

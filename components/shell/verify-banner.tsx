"use client";

import { useActionState } from "react";

import { resendVerificationAction } from "@/actions/account";
import { SubmitButton } from "@/components/ui/button";

export function VerifyBanner({ email }: { email: string }) {
  const [state, formAction] = useActionState(resendVerificationAction, null);
  const message = state ? (state.ok ? state.message : state.formError) : undefined;
  return (
    <div role="region" aria-label="Email verification" className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
      <form action={formAction} className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-1">
        <span>
          Verify your email address: we sent a link to <strong>{email}</strong>.
        </span>
        <SubmitButton variant="ghost" className="!px-2 !py-0.5 underline" pendingLabel="Sending…">
          Send a new link
        </SubmitButton>
        {message ? <span data-testid="verify-banner-message">{message}</span> : null}
      </form>
    </div>
  );
}

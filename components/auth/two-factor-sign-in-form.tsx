"use client";

import { useActionState } from "react";

import { twoFactorSignInAction } from "@/actions/two-factor";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";

/** Sign-in's second step: the challenge the password earned (five minutes), and a code or a recovery code. */
export function TwoFactorSignInForm({ challenge, returnTo }: { challenge: string; returnTo?: string }) {
  const [state, formAction] = useActionState(twoFactorSignInAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage error={state && !state.ok && !errors.code ? (state.formError ?? "Check the highlighted fields.") : undefined} />
      <p className="text-sm text-zinc-600">Enter the code from your authenticator app, or one of your recovery codes.</p>
      <input type="hidden" name="challenge" value={challenge} />
      {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
      <Field label="Authentication code" name="code" autoComplete="one-time-code" autoFocus required errors={errors.code} />
      <SubmitButton className="w-full" pendingLabel="Checking…">
        Verify
      </SubmitButton>
      <p className="text-center text-sm text-zinc-600">
        {/* The challenge lives only in this page's state: a reload goes back to the password step. */}
        <button type="button" onClick={() => window.location.reload()} className="underline">
          Start over
        </button>
      </p>
    </form>
  );
}

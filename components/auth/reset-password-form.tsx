"use client";

import { useActionState } from "react";

import { resetPasswordAction } from "@/actions/auth";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { PASSWORD_MIN } from "@/lib/shared/validation";

export function ResetPasswordForm({ token }: { token: string }) {
  const [state, formAction] = useActionState(resetPasswordAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  // On by default; a failed attempt keeps what was chosen (React resets the form after its action).
  const revoke = state && !state.ok ? state.values.revokeApiAccess === "on" : true;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage error={state && !state.ok ? state.formError : undefined} />
      <input type="hidden" name="token" value={token} />
      <Field
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        errors={errors.password}
        hint={`At least ${PASSWORD_MIN} characters. This signs you out everywhere.`}
      />
      <div className="flex items-start gap-2">
        <input
          id="revoke-api-access"
          type="checkbox"
          name="revokeApiAccess"
          defaultChecked={revoke}
          className="mt-0.5"
          aria-describedby="revoke-api-access-hint"
        />
        <div>
          <label htmlFor="revoke-api-access" className="text-sm font-medium text-zinc-800">
            Also revoke all my API tokens
          </label>
          <p id="revoke-api-access-hint" className="text-xs text-zinc-500">
            Recommended if someone else may have used your account: they may have created tokens. Scripts using your tokens stop working
            until you create new ones.
          </p>
        </div>
      </div>
      <SubmitButton className="w-full" pendingLabel="Saving…">
        Set new password
      </SubmitButton>
    </form>
  );
}

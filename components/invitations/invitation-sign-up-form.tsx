"use client";

import { useActionState } from "react";

import { signUpFromInvitationAction } from "@/actions/invitations";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { PASSWORD_MIN } from "@/lib/shared/validation";

export function InvitationSignUpForm({ token, email }: { token: string; email: string }) {
  const [state, formAction] = useActionState(signUpFromInvitationAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage error={state && !state.ok ? state.formError : undefined} />
      <input type="hidden" name="token" value={token} />
      <Field label="Name" name="name" autoComplete="name" required defaultValue={state?.values?.name} errors={errors.name} />
      <Field label="Email" name="email" type="email" value={email} readOnly hint="The invitation was sent to this address." />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        errors={errors.password}
        hint={`At least ${PASSWORD_MIN} characters.`}
      />
      <SubmitButton className="w-full" pendingLabel="Creating your account…">
        Create account
      </SubmitButton>
    </form>
  );
}

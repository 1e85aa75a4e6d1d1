"use client";

import { useRef } from "react";

import { changePasswordAction, signOutOtherSessionsAction } from "@/actions/account";
import { SubmitButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";
import { PASSWORD_MIN } from "@/lib/shared/validation";

export function ChangePasswordForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction] = useFormAction(changePasswordAction, { onSuccess: () => formRef.current?.reset() });
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form action={formAction} ref={formRef} noValidate>
      <Card
        title="Password"
        description="Changing your password signs you out of every other session."
        footer={<SubmitButton pendingLabel="Saving…">Change password</SubmitButton>}
      >
        <FormMessage error={state && !state.ok ? state.formError : undefined} />
        <Field
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          errors={errors.currentPassword}
        />
        <Field
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          errors={errors.newPassword}
          hint={`At least ${PASSWORD_MIN} characters.`}
        />
      </Card>
    </form>
  );
}

export function SignOutOtherSessionsForm() {
  const [state, formAction] = useFormAction(signOutOtherSessionsAction);
  return (
    <form action={formAction}>
      <Card
        title="Sessions"
        description="Signed in on a shared or lost device? End every session except this one, and revoke your API tokens."
        footer={
          <SubmitButton variant="secondary" pendingLabel="Signing out…">
            Sign out of all other sessions
          </SubmitButton>
        }
      >
        <FormMessage error={state && !state.ok ? state.formError : undefined} />
        <p className="text-sm text-zinc-600">
          Other browsers and devices will have to sign in again. Every API token you created, in every organization, is revoked too: scripts
          using them stop working until you create new ones.
        </p>
      </Card>
    </form>
  );
}

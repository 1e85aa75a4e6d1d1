"use client";

import { useRef } from "react";

import { requestEmailChangeAction } from "@/actions/account-email";
import { SubmitButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";
import { EMAIL_CHANGE_LINK_HOURS } from "@/lib/shared/account-lifecycle";

export function ChangeEmailForm({ email }: { email: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction] = useFormAction(requestEmailChangeAction, { onSuccess: () => formRef.current?.reset() });
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form action={formAction} ref={formRef} noValidate>
      <Card
        title="Email address"
        description={`You sign in with ${email}. A new address must be confirmed from a link we send to it (valid ${EMAIL_CHANGE_LINK_HOURS} hours); we also tell ${email}.`}
        footer={<SubmitButton pendingLabel="Sending…">Send confirmation link</SubmitButton>}
      >
        <FormMessage error={state && !state.ok ? state.formError : undefined} />
        <Field
          label="New email address"
          name="newEmail"
          type="email"
          autoComplete="email"
          required
          defaultValue={state && !state.ok ? state.values.newEmail : undefined}
          errors={errors.newEmail}
        />
        <Field
          label="Current password"
          id="change-email-password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          errors={errors.currentPassword}
          hint="Confirming the new address signs you out of your other sessions."
        />
      </Card>
    </form>
  );
}

"use client";

import Link from "next/link";
import { useActionState } from "react";

import { forgotPasswordAction } from "@/actions/auth";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { RESET_REQUESTED_MESSAGE } from "@/lib/shared/messages";

export function ForgotPasswordForm() {
  const [state, formAction] = useActionState(forgotPasswordAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage error={state && !state.ok ? state.formError : undefined} success={state?.ok ? RESET_REQUESTED_MESSAGE : undefined} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state?.values?.email}
        errors={errors.email}
      />
      <SubmitButton className="w-full" pendingLabel="Sending…">
        Send reset link
      </SubmitButton>
      <p className="text-center text-sm text-zinc-600">
        <Link href="/sign-in" className="underline">
          Back to sign in
        </Link>
      </p>
    </form>
  );
}

"use client";

import Link from "next/link";
import { useActionState } from "react";

import { signUpAction } from "@/actions/auth";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { PASSWORD_MIN } from "@/lib/shared/validation";

export function SignUpForm({ returnTo, lockedEmail }: { returnTo?: string; lockedEmail?: string }) {
  const [state, formAction] = useActionState(signUpAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  const values = state?.values ?? {};
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage error={state && !state.ok ? state.formError : undefined} />
      {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
      <Field label="Name" name="name" autoComplete="name" required defaultValue={values.name} errors={errors.name} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        readOnly={Boolean(lockedEmail)}
        defaultValue={lockedEmail ?? values.email}
        errors={errors.email}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        errors={errors.password}
        hint={`At least ${PASSWORD_MIN} characters. Long passphrases are welcome.`}
      />
      <SubmitButton className="w-full" pendingLabel="Creating your account…">
        Create account
      </SubmitButton>
      <p className="text-center text-sm text-zinc-600">
        Already have an account?{" "}
        <Link
          href={returnTo ? `/sign-in?returnTo=${encodeURIComponent(returnTo)}` : "/sign-in"}
          className="font-medium text-zinc-900 underline"
        >
          Sign in
        </Link>
      </p>
    </form>
  );
}

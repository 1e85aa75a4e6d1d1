"use client";

import Link from "next/link";
import { useActionState } from "react";

import { signInAction } from "@/actions/auth";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";

import { TwoFactorSignInForm } from "./two-factor-sign-in-form";

export function SignInForm({ returnTo, notice }: { returnTo?: string; notice?: string }) {
  const [state, formAction] = useActionState(signInAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  if (state?.ok && state.data?.challenge) return <TwoFactorSignInForm challenge={state.data.challenge} returnTo={returnTo} />;
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <FormMessage
        error={state && !state.ok ? (state.formError ?? "Check the highlighted fields.") : undefined}
        success={!state ? notice : undefined}
      />
      {returnTo ? <input type="hidden" name="returnTo" value={returnTo} /> : null}
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={state?.values?.email}
        errors={errors.email}
      />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.password} />
      <div className="flex justify-end">
        <Link href="/forgot-password" className="text-sm text-zinc-600 underline hover:text-zinc-900">
          Forgot your password?
        </Link>
      </div>
      <SubmitButton className="w-full" pendingLabel="Signing in…">
        Sign in
      </SubmitButton>
      <p className="text-center text-sm text-zinc-600">
        New here?{" "}
        <Link
          href={returnTo ? `/sign-up?returnTo=${encodeURIComponent(returnTo)}` : "/sign-up"}
          className="font-medium text-zinc-900 underline"
        >
          Create an account
        </Link>
      </p>
    </form>
  );
}

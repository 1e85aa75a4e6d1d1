"use server";

import { redirect } from "next/navigation";
import { after } from "next/server";

import { getDb } from "@/db";
import { parseForgotPassword, requestPasswordReset, resetPassword } from "@/lib/auth/password-reset";
import { authenticate } from "@/lib/auth/sign-in";
import { signUp } from "@/lib/auth/sign-up";
import { twoFactorChallengeFor } from "@/lib/auth/two-factor";
import { errorField, log } from "@/lib/core/log";
import { publicFormAction } from "@/lib/next/action";
import { safeReturnPath, startSession } from "@/lib/next/session";
import type { FormState } from "@/lib/shared/form-state";

type SignInData = { challenge: string };

export async function signUpAction(_previous: FormState, form: FormData): Promise<FormState> {
  const returnTo = safeReturnPath(form.get("returnTo"), "");
  return publicFormAction(form, async ({ db, field, ip }) => {
    const { email, created } = await signUp(db, { name: field("name"), email: field("email"), password: field("password") }, { ip });
    if (created) {
      // Signed in at once, landing where a signed-in user without orgs lands (onboarding);
      // the verification e-mail went out and the console's banner asks for it.
      await startSession(created);
      redirect(returnTo || "/");
    }
    // The address already has an account: its owner was e-mailed, and nobody is signed in.
    const query = new URLSearchParams({ email, ...(returnTo ? { returnTo } : {}) });
    redirect(`/sign-up/check-email?${query}`);
  });
}

export async function signInAction(_previous: FormState<SignInData>, form: FormData): Promise<FormState<SignInData>> {
  const returnTo = safeReturnPath(form.get("returnTo"));
  return publicFormAction<SignInData>(form, async ({ db, field, ip }) => {
    const user = await authenticate(db, { email: field("email"), password: field("password") }, { ip });
    // With two-factor on, the password only earns a short-lived challenge for the code step (actions/two-factor.ts).
    const challenge = twoFactorChallengeFor(user);
    if (challenge) return { ok: true, data: { challenge } };
    await startSession(user);
    redirect(returnTo);
  });
}

export async function forgotPasswordAction(_previous: FormState, form: FormData): Promise<FormState> {
  return publicFormAction(form, async ({ field }) => {
    const input = parseForgotPassword({ email: field("email") });
    // The work runs after the response, so the answer takes the same time whether or not the account exists.
    after(async () => {
      try {
        await requestPasswordReset(await getDb(), input);
      } catch (error) {
        log.error({ err: errorField(error) }, "could not queue a reset link");
      }
    });
    return { ok: true, values: { email: input.email } };
  });
}

export async function resetPasswordAction(_previous: FormState, form: FormData): Promise<FormState> {
  return publicFormAction(form, async ({ db, field, ip, userAgent }) => {
    await resetPassword(
      db,
      // An unticked checkbox sends nothing: only "on" keeps the default of revoking.
      { token: field("token"), password: field("password"), revokeApiTokens: field("revokeApiAccess") === "on" },
      { ip, userAgent },
    );
    redirect("/sign-in?reset=1");
  });
}

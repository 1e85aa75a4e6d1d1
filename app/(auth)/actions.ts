"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { after } from "next/server";
import { getDb } from "@/db";
import { authenticate } from "@/lib/auth/sign-in";
import { signUp } from "@/lib/auth/sign-up";
import { parseForgotPassword, requestPasswordReset, resetPassword } from "@/lib/auth/password-reset";
import { clientIp, safeReturnPath, startSession } from "@/lib/auth/session";
import { handleForm, type FormState } from "@/lib/form";

export async function signUpAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const returnTo = safeReturnPath(formData.get("returnTo"), "");
  return handleForm(formData, async () => {
    const db = await getDb();
    const { email, created } = await signUp(
      db,
      { name: formData.get("name"), email: formData.get("email"), password: formData.get("password") },
      { ip: await clientIp() },
    );
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

export async function signInAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const returnTo = safeReturnPath(formData.get("returnTo"));
  return handleForm(formData, async () => {
    const db = await getDb();
    const user = await authenticate(db, { email: formData.get("email"), password: formData.get("password") }, { ip: await clientIp() });
    await startSession(user);
    redirect(returnTo);
  });
}

export async function forgotPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return handleForm(formData, async () => {
    const input = parseForgotPassword({ email: formData.get("email") });
    // The work runs after the response, so the answer takes the same time whether or not the account exists.
    after(async () => {
      try {
        await requestPasswordReset(await getDb(), input);
      } catch (error) {
        console.error("[reset] could not send a reset link", error);
      }
    });
    return { ok: true, values: { email: input.email } };
  });
}

export async function resetPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return handleForm(formData, async () => {
    const db = await getDb();
    await resetPassword(
      db,
      // An unticked checkbox sends nothing: only "on" keeps the default of revoking.
      { token: formData.get("token"), password: formData.get("password"), revokeApiTokens: formData.get("revokeApiAccess") === "on" },
      { ip: await clientIp(), userAgent: (await headers()).get("user-agent") },
    );
    redirect("/sign-in?reset=1");
  });
}

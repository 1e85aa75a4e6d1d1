"use server";

import { redirect } from "next/navigation";

import { beginTwoFactorSetup, completeTwoFactorSignIn, confirmTwoFactorSetup, disableTwoFactor } from "@/lib/auth/two-factor";
import { formAction, publicFormAction } from "@/lib/next/action";
import { safeReturnPath, startSession } from "@/lib/next/session";
import { setTwoFactorPolicy } from "@/lib/orgs/two-factor-policy";
import type { FormState } from "@/lib/shared/form-state";

export async function beginTwoFactorSetupAction(
  _previous: FormState<{ secret: string; qrSvg: string }>,
  form: FormData,
): Promise<FormState<{ secret: string; qrSvg: string }>> {
  return formAction(form, {}, async ({ db, user }) => {
    const { secret, qrSvg } = await beginTwoFactorSetup(db, { userId: user.id });
    return { ok: true, data: { secret, qrSvg } };
  });
}

export async function confirmTwoFactorSetupAction(
  _previous: FormState<{ recoveryCodes: string[] }>,
  form: FormData,
): Promise<FormState<{ recoveryCodes: string[] }>> {
  return formAction(form, {}, async ({ db, user, field }) => {
    const { recoveryCodes } = await confirmTwoFactorSetup(db, { userId: user.id }, { code: field("code") });
    return { ok: true, message: "Two-factor authentication is on.", data: { recoveryCodes } };
  });
}

export async function disableTwoFactorAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, user, field }) => {
    await disableTwoFactor(db, { userId: user.id }, { password: field("password"), code: field("code") });
    return { ok: true, message: "Two-factor authentication is off.", redirectTo: "/account/security" };
  });
}

/** Sign-in's second step: the challenge the password step returned, and a code. */
export async function twoFactorSignInAction(_previous: FormState, form: FormData): Promise<FormState> {
  const returnTo = safeReturnPath(form.get("returnTo"));
  return publicFormAction(form, async ({ db, field, ip }) => {
    const user = await completeTwoFactorSignIn(db, { challenge: field("challenge"), code: field("code") }, { ip });
    await startSession(user);
    redirect(returnTo);
  });
}

export async function setTwoFactorPolicyAction(
  _previous: FormState<{ nonCompliant: { name: string; email: string }[] }>,
  form: FormData,
): Promise<FormState<{ nonCompliant: { name: string; email: string }[] }>> {
  return formAction(form, { revalidate: ["settings"] }, async ({ db, actor, orgName, field }) => {
    const required = field("required") === "on";
    const result = await setTwoFactorPolicy(db, actor, { org: { name: orgName }, required });
    const nonCompliant = result.nonCompliant.map(({ name, email }) => ({ name, email }));
    const message = !required
      ? "Two-factor authentication is no longer required."
      : nonCompliant.length === 0
        ? "Two-factor authentication is required. Every member already has it."
        : `Two-factor authentication is required. ${nonCompliant.length} ${nonCompliant.length === 1 ? "member was" : "members were"} e-mailed to turn it on.`;
    return { ok: true, message, data: { nonCompliant } };
  });
}

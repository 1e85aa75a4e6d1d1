"use server";

import { changeName, changePassword, signOutOtherSessions } from "@/lib/auth/account-settings";
import { resendVerificationEmail } from "@/lib/auth/email-verification";
import { formAction } from "@/lib/next/action";
import { endCurrentSession, startSession } from "@/lib/next/session";
import type { FormState } from "@/lib/shared/form-state";

export async function signOutAction(): Promise<void> {
  await endCurrentSession("/sign-in");
}

export async function changeNameAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { revalidate: ["layout"] }, async ({ db, user, field }) => {
    const { name } = await changeName(db, { userId: user.id }, { name: field("name") });
    return { ok: true, message: "Your name was updated.", values: { name } };
  });
}

export async function changePasswordAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, user, field }) => {
    const { sessionVersion } = await changePassword(
      db,
      { userId: user.id },
      { currentPassword: field("currentPassword"), newPassword: field("newPassword") },
    );
    // Every other session ended with the version bump; this one moves to the new version.
    await startSession({ id: user.id, sessionVersion });
    return { ok: true, message: "Your password was changed. Your other sessions were signed out." };
  });
}

export async function signOutOtherSessionsAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, user, actor }) => {
    const { sessionVersion, revokedApiTokens } = await signOutOtherSessions(db, actor);
    await startSession({ id: user.id, sessionVersion });
    const tokens = revokedApiTokens === 1 ? "your API token was" : `your ${revokedApiTokens} API tokens were`;
    return { ok: true, message: `All your other sessions were signed out${revokedApiTokens ? ` and ${tokens} revoked` : ""}.` };
  });
}

export async function resendVerificationAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { revalidate: ["layout"] }, async ({ db, user }) => {
    const { alreadyVerified } = await resendVerificationEmail(db, { userId: user.id });
    return { ok: true, message: alreadyVerified ? "Your email address is already verified." : `We sent a new link to ${user.email}.` };
  });
}

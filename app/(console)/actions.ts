"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { changeName, changePassword, signOutOtherSessions } from "@/lib/auth/account-settings";
import { resendVerificationEmail } from "@/lib/auth/email-verification";
import { currentActor, endCurrentSession, requireUser, startSession } from "@/lib/auth/session";
import { handleForm, type FormState } from "@/lib/form";

export async function signOutAction(): Promise<void> {
  await endCurrentSession("/sign-in");
}

export async function changeNameAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const { name } = await changeName(await getDb(), { userId: user.id }, { name: formData.get("name") });
    revalidatePath("/", "layout");
    return { ok: true, message: "Your name was updated.", values: { name } };
  });
}

export async function changePasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const { sessionVersion } = await changePassword(
      await getDb(),
      { userId: user.id },
      { currentPassword: formData.get("currentPassword"), newPassword: formData.get("newPassword") },
    );
    // Every other session ended with the version bump; this one moves to the new version.
    await startSession({ id: user.id, sessionVersion });
    return { ok: true, message: "Your password was changed. Your other sessions were signed out." };
  });
}

export async function signOutOtherSessionsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const { sessionVersion, revokedApiTokens } = await signOutOtherSessions(await getDb(), await currentActor(user));
    await startSession({ id: user.id, sessionVersion });
    const tokens = revokedApiTokens === 1 ? "your API token was" : `your ${revokedApiTokens} API tokens were`;
    return { ok: true, message: `All your other sessions were signed out${revokedApiTokens ? ` and ${tokens} revoked` : ""}.` };
  });
}

export async function resendVerificationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const { alreadyVerified } = await resendVerificationEmail(await getDb(), { userId: user.id });
    revalidatePath("/", "layout");
    return { ok: true, message: alreadyVerified ? "Your email address is already verified." : `We sent a new link to ${user.email}.` };
  });
}

"use server";

import { confirmEmailChange, requestEmailChange } from "@/lib/auth/email-change";
import { formAction, publicFormAction } from "@/lib/next/action";
import { getCurrentUser, startSession } from "@/lib/next/session";
import type { FormState } from "@/lib/shared/form-state";

export async function requestEmailChangeAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, user, field }) => {
    const { newEmail } = await requestEmailChange(
      db,
      { userId: user.id },
      { newEmail: field("newEmail"), currentPassword: field("currentPassword") },
    );
    return {
      ok: true,
      message: `We sent a link to ${newEmail}. Your address changes when you open it; until then it stays ${user.email}.`,
    };
  });
}

/** The button of the e-mailed link's page: signed in or not (the link is the proof). */
export async function confirmEmailChangeAction(_previous: FormState, form: FormData): Promise<FormState> {
  return publicFormAction(form, async ({ db, field }) => {
    const signedIn = await getCurrentUser();
    const changed = await confirmEmailChange(db, { token: field("token") });
    // Every session of the user ended; the browser that confirmed stays signed in if it was theirs.
    if (signedIn?.id === changed.userId) {
      await startSession({ id: changed.userId, sessionVersion: changed.sessionVersion });
      return { ok: true, message: `Your email address is now ${changed.email}.`, redirectTo: "/account" };
    }
    return { ok: true, message: `Your email address is now ${changed.email}. Sign in with it.`, redirectTo: "/sign-in" };
  });
}

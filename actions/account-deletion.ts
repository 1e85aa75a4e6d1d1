"use server";

import { deleteAccount } from "@/lib/auth/account-deletion";
import { formAction } from "@/lib/next/action";
import { endCurrentSession } from "@/lib/next/session";
import type { FormState } from "@/lib/shared/form-state";

export async function deleteAccountAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, actor, field }) => {
    await deleteAccount(db, actor, { currentPassword: field("currentPassword"), code: field("code") ?? undefined });
    // The account and its sessions are gone: clear this browser's cookie too.
    await endCurrentSession("/sign-in");
  });
}

"use server";

import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { currentActor, endCurrentSession, requireUser, startSession } from "@/lib/auth/session";
import { handleForm, type FormState } from "@/lib/form";
import { acceptInvitation, declineInvitation, signUpFromInvitation, type InvitationRef } from "@/lib/invitation-responses";

/** A listed invitation is answered by id (verified accounts only); a link by its token. */
function refFrom(formData: FormData): InvitationRef {
  const token = formData.get("token");
  return typeof token === "string" && token ? { token } : { invitationId: formData.get("invitationId") };
}

export async function acceptInvitationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const { orgName } = await acceptInvitation(await getDb(), await currentActor(user), refFrom(formData));
    return { ok: true, message: `You joined ${orgName}`, redirectTo: `/orgs/${orgName}` };
  });
}

export async function declineInvitationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const { orgName } = await declineInvitation(await getDb(), await currentActor(user), refFrom(formData));
    const token = formData.get("token");
    return {
      ok: true,
      message: `You declined the invitation to ${orgName}`,
      redirectTo: typeof token === "string" && token ? `/invitations/${token}` : "/account/organizations",
    };
  });
}

export async function signUpFromInvitationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const token = String(formData.get("token") ?? "");
  return handleForm(formData, async () => {
    const user = await signUpFromInvitation(await getDb(), { token, name: formData.get("name"), password: formData.get("password") });
    await startSession(user);
    redirect(`/invitations/${encodeURIComponent(token)}`);
  });
}

export async function signOutToInvitationAction(formData: FormData): Promise<void> {
  const token = String(formData.get("token") ?? "");
  await endCurrentSession(`/invitations/${encodeURIComponent(token)}`);
}

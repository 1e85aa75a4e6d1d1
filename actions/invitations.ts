"use server";

import { redirect } from "next/navigation";

import { inviteMembers, removeInvitation, resendInvitation, type InviteOutcome } from "@/lib/invitations/invite";
import { acceptInvitation, declineInvitation, signUpFromInvitation, type InvitationRef } from "@/lib/invitations/respond";
import { formAction, publicFormAction } from "@/lib/next/action";
import { endCurrentSession, startSession } from "@/lib/next/session";
import type { FormState } from "@/lib/shared/form-state";

const ORG_PAGES = ["members", "invitations"];

// The org's side: invite, send again, remove.

export async function inviteMembersAction(_previous: FormState<InviteOutcome[]>, form: FormData): Promise<FormState<InviteOutcome[]>> {
  return formAction<InviteOutcome[]>(form, { revalidate: ORG_PAGES }, async ({ db, actor, orgName, field }) => {
    const outcomes = await inviteMembers(db, actor, { org: { name: orgName }, emails: field("emails"), role: field("role") });
    const invited = outcomes.filter((outcome) => outcome.status === "invited");
    const message =
      invited.length === 1
        ? `Invitation sent to ${invited[0]!.email}`
        : invited.length > 1
          ? `${invited.length} invitations sent`
          : undefined;
    const problems = outcomes.filter((outcome) => outcome.status !== "invited");
    return { ok: true, message, data: outcomes, values: problems.length ? { emails: problems.map((p) => p.email).join("\n") } : undefined };
  });
}

export async function resendInvitationAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { revalidate: ORG_PAGES }, async ({ db, actor, orgName, field }) => {
    const { email } = await resendInvitation(db, actor, { org: { name: orgName }, invitationId: field("invitationId") });
    return { ok: true, message: `The invitation was sent again to ${email}` };
  });
}

export async function removeInvitationAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { revalidate: ORG_PAGES }, async ({ db, actor, orgName, field }) => {
    const { email } = await removeInvitation(db, actor, { org: { name: orgName }, invitationId: field("invitationId") });
    return { ok: true, message: `The invitation sent to ${email} was removed` };
  });
}

// The invitee's side: accept, decline, sign up from the link.

/** A listed invitation is answered by id (verified accounts only); a link by its token. */
function refFrom(form: FormData): InvitationRef {
  const token = form.get("token");
  return typeof token === "string" && token ? { token } : { invitationId: form.get("invitationId") };
}

export async function acceptInvitationAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, actor }) => {
    const { orgName } = await acceptInvitation(db, actor, refFrom(form));
    return { ok: true, message: `You joined ${orgName}`, redirectTo: `/orgs/${orgName}` };
  });
}

export async function declineInvitationAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, actor, field }) => {
    const { orgName } = await declineInvitation(db, actor, refFrom(form));
    const token = field("token");
    return {
      ok: true,
      message: `You declined the invitation to ${orgName}`,
      redirectTo: typeof token === "string" && token ? `/invitations/${token}` : "/account/organizations",
    };
  });
}

export async function signUpFromInvitationAction(_previous: FormState, form: FormData): Promise<FormState> {
  const token = String(form.get("token") ?? "");
  return publicFormAction(form, async ({ db, field }) => {
    const user = await signUpFromInvitation(db, { token, name: field("name"), password: field("password") });
    await startSession(user);
    redirect(`/invitations/${encodeURIComponent(token)}`);
  });
}

export async function signOutToInvitationAction(form: FormData): Promise<void> {
  const token = String(form.get("token") ?? "");
  await endCurrentSession(`/invitations/${encodeURIComponent(token)}`);
}

"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { currentActor, requireUser } from "@/lib/next/session";
import { handleForm, type FormState } from "@/lib/next/form";
import { inviteMembers, removeInvitation, resendInvitation, type InviteOutcome } from "@/lib/invitations/invite";
import { removeMember } from "@/lib/orgs/members";

function orgPaths(orgName: FormDataEntryValue | null) {
  const name = typeof orgName === "string" ? orgName : "";
  revalidatePath(`/orgs/${name}/members`);
  revalidatePath(`/orgs/${name}/invitations`);
}

export async function inviteMembersAction(_previous: FormState<InviteOutcome[]>, formData: FormData): Promise<FormState<InviteOutcome[]>> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const outcomes = await inviteMembers(await getDb(), await currentActor(user), { orgName: formData.get("orgName"), emails: formData.get("emails") });
    orgPaths(formData.get("orgName"));
    const invited = outcomes.filter((outcome) => outcome.status === "invited");
    const message =
      invited.length === 1 ? `Invitation sent to ${invited[0]!.email}` : invited.length > 1 ? `${invited.length} invitations sent` : undefined;
    const problems = outcomes.filter((outcome) => outcome.status !== "invited");
    return { ok: true, message, data: outcomes, values: problems.length ? { emails: problems.map((p) => p.email).join("\n") } : undefined };
  });
}

export async function resendInvitationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const { email } = await resendInvitation(await getDb(), await currentActor(user), {
      orgName: formData.get("orgName"),
      invitationId: formData.get("invitationId"),
    });
    orgPaths(formData.get("orgName"));
    return { ok: true, message: `The invitation was sent again to ${email}` };
  });
}

export async function removeInvitationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const { email } = await removeInvitation(await getDb(), await currentActor(user), {
      orgName: formData.get("orgName"),
      invitationId: formData.get("invitationId"),
    });
    orgPaths(formData.get("orgName"));
    return { ok: true, message: `The invitation sent to ${email} was removed` };
  });
}

export async function removeMemberAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const removed = await removeMember(await getDb(), await currentActor(user), {
      orgName: formData.get("orgName"),
      userId: formData.get("userId"),
      confirmation: formData.get("confirmation"),
    });
    orgPaths(formData.get("orgName"));
    return { ok: true, message: `${removed.name} was removed from the organization ${removed.orgName}` };
  });
}

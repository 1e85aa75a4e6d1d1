"use server";

import { formAction } from "@/lib/next/action";
import { removeMember } from "@/lib/orgs/members";
import { changeMemberRole } from "@/lib/orgs/roles";
import type { FormState } from "@/lib/shared/form-state";
import { ROLE_LABELS } from "@/lib/shared/roles";

export async function removeMemberAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { confirm: "orgName", revalidate: ["members", "invitations"] }, async ({ db, actor, orgName, field }) => {
    const removed = await removeMember(db, actor, { org: { name: orgName }, userId: field("userId") });
    return { ok: true, message: `${removed.name} was removed from the organization ${removed.orgName}` };
  });
}

export async function changeMemberRoleAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { revalidate: ["members"] }, async ({ db, actor, orgName, field }) => {
    const changed = await changeMemberRole(db, actor, { org: { name: orgName }, userId: field("userId"), role: field("role") });
    const message =
      changed.from === changed.to
        ? `${changed.name} is already ${ROLE_LABELS[changed.to].toLowerCase()}`
        : `${changed.name} is now ${ROLE_LABELS[changed.to].toLowerCase()}`;
    return { ok: true, message };
  });
}

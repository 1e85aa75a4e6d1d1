"use server";

import { formAction } from "@/lib/next/action";
import { removeMember } from "@/lib/orgs/members";
import type { FormState } from "@/lib/shared/form-state";

export async function removeMemberAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { confirm: "orgName", revalidate: ["members", "invitations"] }, async ({ db, actor, orgName, field }) => {
    const removed = await removeMember(db, actor, { org: { name: orgName }, userId: field("userId") });
    return { ok: true, message: `${removed.name} was removed from the organization ${removed.orgName}` };
  });
}

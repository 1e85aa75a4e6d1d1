"use server";

import { createApiToken, deleteApiToken } from "@/lib/api-tokens/api-tokens";
import { formAction } from "@/lib/next/action";
import type { FormState } from "@/lib/shared/form-state";

export async function createApiTokenAction(_previous: FormState<string>, form: FormData): Promise<FormState<string>> {
  return formAction<string>(form, { revalidate: ["settings/api"] }, async ({ db, actor, orgName, field }) => {
    const created = await createApiToken(db, actor, {
      org: { name: orgName },
      name: field("name"),
      description: field("description"),
      expiresIn: field("expiresIn"),
    });
    return { ok: true, message: `The API token ${created.name} was created`, data: created.token };
  });
}

export async function deleteApiTokenAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { confirm: "tokenName", revalidate: ["settings/api"] }, async ({ db, actor, orgName, field }) => {
    const { name } = await deleteApiToken(db, actor, { org: { name: orgName }, tokenId: field("tokenId") });
    return { ok: true, message: `The API token ${name} was deleted` };
  });
}

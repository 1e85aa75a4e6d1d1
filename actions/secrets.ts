"use server";

import { formAction } from "@/lib/next/action";
import { createSecret, deleteSecret, revealSecret, updateSecret } from "@/lib/secrets/secrets";
import type { FormState } from "@/lib/shared/form-state";

export async function createSecretAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { revalidate: ["secrets"] }, async ({ db, actor, orgName, field }) => {
    const secret = await createSecret(db, actor, { org: { name: orgName }, name: field("name"), value: field("secretValue") });
    return { ok: true, message: `The secret ${secret.name} was created` };
  });
}

export async function updateSecretAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { revalidate: ["secrets"] }, async ({ db, actor, orgName, field }) => {
    const secret = await updateSecret(db, actor, {
      org: { name: orgName },
      secretId: field("secretId"),
      name: field("name"),
      value: field("secretValue"),
    });
    return { ok: true, message: `The secret ${secret.name} was updated` };
  });
}

export async function deleteSecretAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { confirm: "secretName", revalidate: ["secrets"] }, async ({ db, actor, orgName, field }) => {
    const { name } = await deleteSecret(db, actor, { org: { name: orgName }, secretId: field("secretId") });
    return { ok: true, message: `The secret ${name} was deleted` };
  });
}

export async function revealSecretAction(_previous: FormState<string>, form: FormData): Promise<FormState<string>> {
  return formAction<string>(form, { revalidate: ["activity"] }, async ({ db, actor, orgName, field }) => {
    const secret = await revealSecret(db, actor, { org: { name: orgName }, secretId: field("secretId") });
    return { ok: true, data: secret.value };
  });
}

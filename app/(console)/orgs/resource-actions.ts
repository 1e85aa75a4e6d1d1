"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db";
import { createApiToken, deleteApiToken } from "@/lib/api-tokens/api-tokens";
import { createApp, deleteApp, renameApp } from "@/lib/apps/apps";
import { currentActor, requireUser } from "@/lib/next/session";
import { handleForm, type FormState } from "@/lib/next/form";
import { createSecret, deleteSecret, revealSecret, updateSecret } from "@/lib/secrets/secrets";

/** Runs one resource action for the signed-in user and refreshes the org's page that lists it. */
async function orgAction<Data = undefined>(
  formData: FormData,
  page: string,
  work: (context: { db: Awaited<ReturnType<typeof getDb>>; actor: Awaited<ReturnType<typeof currentActor>>; orgName: FormDataEntryValue | null }) => Promise<FormState<Data>>,
): Promise<FormState<Data>> {
  const user = await requireUser();
  return handleForm<Data>(formData, async () => {
    const orgName = formData.get("orgName");
    const result = await work({ db: await getDb(), actor: await currentActor(user), orgName });
    revalidatePath(`/orgs/${typeof orgName === "string" ? orgName : ""}/${page}`);
    return result;
  });
}

export async function createAppAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return orgAction(formData, "apps", async ({ db, actor, orgName }) => {
    const app = await createApp(db, actor, { orgName, name: formData.get("name") });
    return { ok: true, message: `The app ${app.name} was created` };
  });
}

export async function renameAppAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return orgAction(formData, "apps", async ({ db, actor, orgName }) => {
    const app = await renameApp(db, actor, { orgName, appId: formData.get("appId"), name: formData.get("name") });
    return { ok: true, message: `The app was renamed to ${app.name}` };
  });
}

export async function deleteAppAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return orgAction(formData, "apps", async ({ db, actor, orgName }) => {
    const { name } = await deleteApp(db, actor, { orgName, appId: formData.get("appId") });
    return { ok: true, message: `The app ${name} was deleted` };
  });
}

export async function createSecretAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return orgAction(formData, "secrets", async ({ db, actor, orgName }) => {
    const secret = await createSecret(db, actor, { orgName, name: formData.get("name"), value: formData.get("secretValue") });
    return { ok: true, message: `The secret ${secret.name} was created` };
  });
}

export async function updateSecretAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return orgAction(formData, "secrets", async ({ db, actor, orgName }) => {
    const secret = await updateSecret(db, actor, { orgName, secretId: formData.get("secretId"), name: formData.get("name"), value: formData.get("secretValue") });
    return { ok: true, message: `The secret ${secret.name} was updated` };
  });
}

export async function deleteSecretAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return orgAction(formData, "secrets", async ({ db, actor, orgName }) => {
    const { name } = await deleteSecret(db, actor, { orgName, secretId: formData.get("secretId") });
    return { ok: true, message: `The secret ${name} was deleted` };
  });
}

export async function revealSecretAction(_previous: FormState<string>, formData: FormData): Promise<FormState<string>> {
  return orgAction<string>(formData, "activity", async ({ db, actor, orgName }) => {
    const secret = await revealSecret(db, actor, { orgName, secretId: formData.get("secretId") });
    return { ok: true, data: secret.value };
  });
}

export async function createApiTokenAction(_previous: FormState<string>, formData: FormData): Promise<FormState<string>> {
  return orgAction<string>(formData, "settings/api", async ({ db, actor, orgName }) => {
    const created = await createApiToken(db, actor, {
      orgName,
      name: formData.get("name"),
      description: formData.get("description"),
      expiresIn: formData.get("expiresIn"),
    });
    return { ok: true, message: `The API token ${created.name} was created`, data: created.token };
  });
}

export async function deleteApiTokenAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return orgAction(formData, "settings/api", async ({ db, actor, orgName }) => {
    const { name } = await deleteApiToken(db, actor, { orgName, tokenId: formData.get("tokenId"), confirmation: formData.get("confirmation") });
    return { ok: true, message: `The API token ${name} was deleted` };
  });
}

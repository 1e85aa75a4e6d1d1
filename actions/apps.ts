"use server";

import { createApp, deleteApp, renameApp } from "@/lib/apps/apps";
import { formAction } from "@/lib/next/action";
import type { FormState } from "@/lib/shared/form-state";

export async function createAppAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { revalidate: ["apps"] }, async ({ db, actor, orgName, field }) => {
    const app = await createApp(db, actor, { org: { name: orgName }, name: field("name") });
    return { ok: true, message: `The app ${app.name} was created` };
  });
}

export async function renameAppAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { revalidate: ["apps"] }, async ({ db, actor, orgName, field }) => {
    const app = await renameApp(db, actor, { org: { name: orgName }, appId: field("appId"), name: field("name") });
    return { ok: true, message: `The app was renamed to ${app.name}` };
  });
}

export async function deleteAppAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { confirm: "appName", revalidate: ["apps"] }, async ({ db, actor, orgName, field }) => {
    const { name } = await deleteApp(db, actor, { org: { name: orgName }, appId: field("appId") });
    return { ok: true, message: `The app ${name} was deleted` };
  });
}

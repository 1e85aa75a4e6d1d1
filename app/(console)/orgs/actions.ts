"use server";

import { getDb } from "@/db";
import { currentActor, requireUser } from "@/lib/next/session";
import { handleForm, type FormState } from "@/lib/next/form";
import { landingOrgName, leaveOrganization } from "@/lib/orgs/memberships";
import { isSelfServePlan, planLabel } from "@/lib/shared/plans";
import { checkOrgName, createOrganization, deleteOrganization, renameOrganization } from "@/lib/orgs/organizations";

export async function createOrganizationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const db = await getDb();
    const actor = await currentActor(user);
    const org = await createOrganization(db, actor, { name: formData.get("name") });
    const plan = formData.get("plan");
    if (isSelfServePlan(plan)) {
      // Step 2, plan and payment: the org exists on Starter and moves once the payment method is saved.
      return {
        ok: true,
        message: `The organization ${org.name} was created on Starter. Add billing information to move to ${planLabel(plan)}`,
        redirectTo: `/orgs/${org.name}/settings/billing?plan=${plan}`,
      };
    }
    return { ok: true, message: `The organization ${org.name} was created`, redirectTo: `/orgs/${org.name}` };
  });
}

export async function renameOrganizationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const org = await renameOrganization(await getDb(), await currentActor(user), {
      orgName: formData.get("orgName"),
      newName: formData.get("name"),
    });
    return { ok: true, message: "Your organization's name was updated", redirectTo: `/orgs/${org.name}/settings`, values: { name: org.name } };
  });
}

export async function leaveOrganizationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const db = await getDb();
    const orgName = String(formData.get("orgName") ?? "");
    await leaveOrganization(db, await currentActor(user), { orgName, confirmation: formData.get("confirmation") });
    const next = await landingOrgName(db, user.id);
    return { ok: true, message: `You left the organization ${orgName}`, redirectTo: next ? `/orgs/${next}` : "/onboarding" };
  });
}

export async function deleteOrganizationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const db = await getDb();
    const { name } = await deleteOrganization(db, await currentActor(user), {
      orgName: formData.get("orgName"),
      confirmation: formData.get("confirmation"),
    });
    const next = await landingOrgName(db, user.id);
    return { ok: true, message: `The organization ${name} was deleted`, redirectTo: next ? `/orgs/${next}` : "/onboarding" };
  });
}

/** The "is this name free?" hint while typing; the server decides again on submit. */
export async function checkOrgNameAction(name: string): Promise<{ ok: boolean; message?: string }> {
  await requireUser();
  return checkOrgName(await getDb(), typeof name === "string" ? name.slice(0, 1000) : "");
}

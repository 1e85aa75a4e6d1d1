"use server";

import { getDb } from "@/db";
import { formAction } from "@/lib/next/action";
import { requireUser } from "@/lib/next/session";
import { landingOrgName, leaveOrganization } from "@/lib/orgs/memberships";
import { checkOrgName, createOrganization, deleteOrganization, renameOrganization } from "@/lib/orgs/organizations";
import type { FormState } from "@/lib/shared/form-state";
import { isSelfServePlan, planLabel } from "@/lib/shared/plans";

export async function createOrganizationAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, actor, field }) => {
    const org = await createOrganization(db, actor, { name: field("name") });
    const plan = field("plan");
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

export async function renameOrganizationAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, actor, orgName, field }) => {
    const org = await renameOrganization(db, actor, { org: { name: orgName }, newName: field("name") });
    return {
      ok: true,
      message: "Your organization's name was updated",
      redirectTo: `/orgs/${org.name}/settings`,
      values: { name: org.name },
    };
  });
}

export async function leaveOrganizationAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { confirm: "orgName" }, async ({ db, actor, orgName }) => {
    await leaveOrganization(db, actor, { org: { name: orgName } });
    const next = await landingOrgName(db, actor.userId);
    return { ok: true, message: `You left the organization ${orgName}`, redirectTo: next ? `/orgs/${next}` : "/onboarding" };
  });
}

export async function deleteOrganizationAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { confirm: "orgName" }, async ({ db, actor, orgName }) => {
    const { name } = await deleteOrganization(db, actor, { org: { name: orgName } });
    const next = await landingOrgName(db, actor.userId);
    return { ok: true, message: `The organization ${name} was deleted`, redirectTo: next ? `/orgs/${next}` : "/onboarding" };
  });
}

/** The "is this name free?" hint while typing; the server decides again on submit. */
export async function checkOrgNameAction(name: string): Promise<{ ok: boolean; message?: string }> {
  await requireUser();
  return checkOrgName(await getDb(), typeof name === "string" ? name.slice(0, 1000) : "");
}

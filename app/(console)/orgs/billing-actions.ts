"use server";

import { getDb } from "@/db";
import { currentActor, requireUser } from "@/lib/next/session";
import { updateBillingDetails } from "@/lib/billing/billing-details";
import { requestEnterprisePlan } from "@/lib/billing/enterprise";
import { removePaymentMethod, replacePaymentMethod } from "@/lib/billing/payment-methods";
import { changePlan, type PlanChange } from "@/lib/billing/plan-change";
import { handleForm, type FormState } from "@/lib/next/form";
import { isSelfServePlan, planLabel, type PlanId } from "@/lib/shared/plans";

/** Where each answer of changePlan takes the user, and what the toast says. */
function planChangeOutcome(orgName: string, plan: PlanId, change: PlanChange): FormState {
  switch (change.status) {
    case "changed":
      return { ok: true, message: `${orgName} is now on the ${planLabel(change.to)} plan`, redirectTo: `/orgs/${orgName}/settings/plan` };
    case "unchanged":
      return { ok: true, message: `${orgName} is already on the ${planLabel(plan)} plan` };
    case "needs_billing_details":
      return { ok: true, message: `Add billing information to move to ${planLabel(plan)}`, redirectTo: `/orgs/${orgName}/settings/billing?plan=${plan}` };
    case "checkout":
      // The payment page: ours (test mode) or the provider's.
      return { ok: true, redirectTo: change.url };
  }
}

export async function changePlanAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const orgName = String(formData.get("orgName") ?? "");
    const plan = formData.get("plan");
    const change = await changePlan(await getDb(), await currentActor(user), { orgName, plan });
    return planChangeOutcome(orgName, plan as PlanId, change);
  });
}

const BILLING_FIELDS = ["name", "email", "addressLine1", "addressLine2", "city", "postalCode", "country", "taxId"] as const;

export async function saveBillingDetailsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const db = await getDb();
    const actor = await currentActor(user);
    const orgName = String(formData.get("orgName") ?? "");
    const details = Object.fromEntries(BILLING_FIELDS.map((field) => [field, formData.get(field) ?? undefined]));
    await updateBillingDetails(db, actor, { orgName, details });
    // Saved on the way to a paid plan: carry on to the payment page.
    const plan = formData.get("plan");
    if (isSelfServePlan(plan)) {
      return planChangeOutcome(orgName, plan, await changePlan(db, actor, { orgName, plan }));
    }
    return { ok: true, message: "Billing information saved", redirectTo: `/orgs/${orgName}/settings/billing` };
  });
}

export async function replacePaymentMethodAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const { url } = await replacePaymentMethod(await getDb(), await currentActor(user), { orgName: formData.get("orgName") });
    return { ok: true, redirectTo: url };
  });
}

export async function removePaymentMethodAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const orgName = String(formData.get("orgName") ?? "");
    await removePaymentMethod(await getDb(), await currentActor(user), { orgName });
    return { ok: true, message: "The payment method was removed", redirectTo: `/orgs/${orgName}/settings/billing` };
  });
}

export async function requestEnterpriseAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    await requestEnterprisePlan(await getDb(), await currentActor(user), {
      orgName: formData.get("orgName"),
      seats: formData.get("seats"),
      message: formData.get("message"),
    });
    return { ok: true, message: "Thanks: our sales team will e-mail you within one business day" };
  });
}

"use server";

import { updateBillingDetails } from "@/lib/billing/billing-details";
import { requestEnterprisePlan } from "@/lib/billing/enterprise";
import { removePaymentMethod, replacePaymentMethod } from "@/lib/billing/payment-methods";
import { formatDay } from "@/lib/billing/periods";
import { changePlan, type PlanChange } from "@/lib/billing/plan-change";
import { advanceTestClock } from "@/lib/billing/test-clock";
import { formAction } from "@/lib/next/action";
import type { FormState } from "@/lib/shared/form-state";
import { isSelfServePlan, planLabel, type PlanId } from "@/lib/shared/plans";

/** Where each answer of changePlan takes the user, and what the toast says. */
function planChangeOutcome(orgName: string, plan: PlanId, change: PlanChange): FormState {
  switch (change.status) {
    case "changed":
      return { ok: true, message: `${orgName} is now on the ${planLabel(change.to)} plan`, redirectTo: `/orgs/${orgName}/settings/plan` };
    case "unchanged":
      return { ok: true, message: `${orgName} is already on the ${planLabel(plan)} plan` };
    case "needs_billing_details":
      return {
        ok: true,
        message: `Add billing information to move to ${planLabel(plan)}`,
        redirectTo: `/orgs/${orgName}/settings/billing?plan=${plan}`,
      };
    case "checkout":
      // The payment page: ours (test mode) or the provider's.
      return { ok: true, redirectTo: change.url };
    case "cancel_scheduled":
      return {
        ok: true,
        message: `${orgName} stays on its plan until ${formatDay(change.endsAt)}, then moves to Starter`,
        redirectTo: `/orgs/${orgName}/settings/plan`,
      };
    case "resumed":
      return { ok: true, message: `${orgName} keeps the ${planLabel(change.plan)} plan`, redirectTo: `/orgs/${orgName}/settings/plan` };
  }
}

export async function changePlanAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, actor, orgName, field }) => {
    const plan = field("plan");
    const change = await changePlan(db, actor, { org: { name: orgName }, plan });
    return planChangeOutcome(orgName, plan as PlanId, change);
  });
}

const BILLING_FIELDS = ["name", "email", "addressLine1", "addressLine2", "city", "postalCode", "country", "taxId"] as const;

export async function saveBillingDetailsAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, actor, orgName, field }) => {
    const details = Object.fromEntries(BILLING_FIELDS.map((name) => [name, field(name) ?? undefined]));
    await updateBillingDetails(db, actor, { org: { name: orgName }, details });
    // Saved on the way to a paid plan: carry on to the payment page.
    const plan = field("plan");
    if (isSelfServePlan(plan)) {
      return planChangeOutcome(orgName, plan, await changePlan(db, actor, { org: { name: orgName }, plan }));
    }
    return { ok: true, message: "Billing information saved", redirectTo: `/orgs/${orgName}/settings/billing` };
  });
}

export async function replacePaymentMethodAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, actor, orgName }) => {
    const { url } = await replacePaymentMethod(db, actor, { org: { name: orgName } });
    return { ok: true, redirectTo: url };
  });
}

export async function removePaymentMethodAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, actor, orgName }) => {
    await removePaymentMethod(db, actor, { org: { name: orgName } });
    return { ok: true, message: "The payment method was removed", redirectTo: `/orgs/${orgName}/settings/billing` };
  });
}

export async function requestEnterpriseAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, actor, orgName, field }) => {
    await requestEnterprisePlan(db, actor, { org: { name: orgName }, seats: field("seats"), message: field("message") });
    return { ok: true, message: "Thanks: our sales team will e-mail you within one business day" };
  });
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The billing page's test clock (test mode): moves billing's time, renews and charges at once. */
export async function advanceTestClockAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, { revalidate: ["layout"] }, async ({ db, actor, orgName, field }) => {
    const moved = await advanceTestClock(db, actor, { org: { name: orgName }, days: field("days") });
    return {
      ok: true,
      message: `Billing's clock is now ${formatDay(moved.now)}: ${count(moved.renewed, "renewal", "renewals")}, ${count(moved.charges, "charge", "charges")} run`,
    };
  });
}

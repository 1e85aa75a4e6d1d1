"use client";

import { createOrganizationAction } from "@/actions/organizations";
import { PlanPicker } from "@/components/billing/plan-picker";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";

import { OrgNameField } from "./org-name-field";

/** Creating an org: its name, then its plan (a paid plan continues to billing and the payment page). */
/** `verifyFirst`: the user's address is not verified yet (the page says so): the button waits. */
export function CreateOrgForm({ appsDomain, verifyFirst = false }: { appsDomain: string; verifyFirst?: boolean }) {
  const [state, formAction] = useFormAction(createOrganizationAction);
  const failed = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} className="space-y-6" noValidate>
      <FormMessage error={failed?.formError} />
      <OrgNameField
        key={failed?.values.name}
        defaultValue={failed?.values.name}
        appsDomain={appsDomain}
        errors={failed?.fieldErrors.name}
      />
      <PlanPicker key={`plan-${failed?.values.plan}`} defaultPlan={failed?.values.plan} />
      <SubmitButton pendingLabel="Creating…" disabled={verifyFirst}>
        Create organization
      </SubmitButton>
    </form>
  );
}

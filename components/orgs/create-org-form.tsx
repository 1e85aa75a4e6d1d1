"use client";

import { createOrganizationAction } from "@/app/(console)/orgs/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";
import { OrgNameField } from "./org-name-field";

export function CreateOrgForm({ appsDomain }: { appsDomain: string }) {
  const [state, formAction] = useFormAction(createOrganizationAction);
  const failed = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} className="space-y-5" noValidate>
      <FormMessage error={failed?.formError} />
      <OrgNameField key={failed?.values.name} defaultValue={failed?.values.name} appsDomain={appsDomain} errors={failed?.fieldErrors.name} />
      <p className="text-sm text-zinc-600">New organizations start on the free Starter plan: no payment information needed.</p>
      <SubmitButton pendingLabel="Creating…">Create organization</SubmitButton>
    </form>
  );
}

"use client";

import { renameOrganizationAction } from "@/actions/organizations";
import { SubmitButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";
import { OrgNameField } from "./org-name-field";

export function RenameOrgForm({ orgName, appsDomain }: { orgName: string; appsDomain: string }) {
  const [state, formAction] = useFormAction(renameOrganizationAction);
  const failed = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} noValidate>
      <Card
        title="General"
        description="The name identifies the organization and composes the default URL of its apps. Old links keep working until another organization takes the old name."
        footer={<SubmitButton pendingLabel="Saving…">Save</SubmitButton>}
      >
        <FormMessage error={failed?.formError} />
        <input type="hidden" name="orgName" value={orgName} />
        <OrgNameField
          key={failed?.values.name ?? orgName}
          defaultValue={failed?.values.name ?? orgName}
          currentName={orgName}
          appsDomain={appsDomain}
          errors={failed?.fieldErrors.name}
        />
      </Card>
    </form>
  );
}

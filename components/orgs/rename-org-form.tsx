"use client";

import { renameOrganizationAction } from "@/actions/organizations";
import { SubmitButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { PermissionNote } from "@/components/ui/permission-note";
import { useFormAction } from "@/components/use-form-action";

import { OrgNameField } from "./org-name-field";

const DESCRIPTION =
  "The name identifies the organization and composes the default URL of its apps. Old links keep working until another organization takes the old name.";

/** The org's name: a form for roles with `org.rename`, the name and who can change it for the others. */
export function RenameOrgForm({ orgName, appsDomain, canRename }: { orgName: string; appsDomain: string; canRename: boolean }) {
  if (!canRename) {
    return (
      <Card title="General" description={DESCRIPTION}>
        <dl className="space-y-1 text-sm">
          <dt className="text-zinc-500">Organization name</dt>
          <dd className="font-mono text-zinc-900" data-testid="org-name">
            {orgName}
          </dd>
        </dl>
        <PermissionNote permission="org.rename" />
      </Card>
    );
  }
  return <RenameForm orgName={orgName} appsDomain={appsDomain} />;
}

function RenameForm({ orgName, appsDomain }: { orgName: string; appsDomain: string }) {
  const [state, formAction] = useFormAction(renameOrganizationAction);
  const failed = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} noValidate>
      <Card title="General" description={DESCRIPTION} footer={<SubmitButton pendingLabel="Saving…">Save</SubmitButton>}>
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

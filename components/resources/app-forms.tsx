"use client";

import { useState } from "react";

import { createAppAction, deleteAppAction, renameAppAction } from "@/actions/apps";
import { SubmitButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, FormMessage } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { useFormAction } from "@/components/use-form-action";
import { appNameProblem, defaultAppUrl } from "@/lib/shared/names";

export function CreateAppForm({ orgName, appsDomain }: { orgName: string; appsDomain: string }) {
  const [name, setName] = useState("");
  const [state, formAction] = useFormAction(createAppAction, { onSuccess: () => setName("") });
  const failed = state && !state.ok ? state : undefined;
  const problem = name ? appNameProblem(name) : undefined;
  return (
    <form action={formAction} noValidate>
      <Card title="Create an app" footer={<SubmitButton pendingLabel="Creating…">Create app</SubmitButton>}>
        <FormMessage error={failed?.formError} />
        <input type="hidden" name="orgName" value={orgName} />
        <Field
          label="App name"
          name="name"
          value={name}
          onChange={(event) => setName(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          errors={problem ? [problem] : failed?.fieldErrors.name}
          hint={
            <>
              Default URL: <code data-testid="new-app-url">{defaultAppUrl(name || "<app>", orgName, appsDomain)}</code>
            </>
          }
        />
      </Card>
    </form>
  );
}

export function AppRowActions({ orgName, appId, appName }: { orgName: string; appId: string; appName: string }) {
  return (
    <div className="flex gap-2">
      <FormDialog
        trigger="Rename"
        triggerLabel={`Rename ${appName}`}
        title={`Rename ${appName}`}
        description="Its default URL changes with its name."
        submitLabel="Rename"
        action={renameAppAction}
        fields={{ orgName, appId, appName }}
      >
        {(errors) => (
          <Field
            id={`rename-${appId}`}
            label="New name"
            name="name"
            defaultValue={appName}
            autoComplete="off"
            spellCheck={false}
            errors={errors.name}
          />
        )}
      </FormDialog>
      <ConfirmDialog
        trigger="Delete"
        triggerVariant="secondary"
        triggerSize="sm"
        triggerLabel={`Delete ${appName}`}
        title={`Delete ${appName}?`}
        description="The app and its default URL go away at once. This cannot be undone."
        typeToConfirm={appName}
        confirmLabel="Delete app"
        action={deleteAppAction}
        fields={{ orgName, appId, appName }}
      />
    </div>
  );
}

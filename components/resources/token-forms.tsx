"use client";

import { useRef } from "react";

import { createApiTokenAction, deleteApiTokenAction } from "@/actions/api-tokens";
import { SubmitButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, FormMessage, SelectField } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";

/** `readOnly`: the viewer's role cannot write (viewers), so neither can their tokens: the form says so. */
export function CreateTokenForm({ orgName, readOnly = false }: { orgName: string; readOnly?: boolean }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction] = useFormAction(createApiTokenAction, { onSuccess: () => formRef.current?.reset() });
  const failed = state && !state.ok ? state : undefined;
  const created = state?.ok ? state.data : undefined;
  return (
    <div className="space-y-4">
      {created ? (
        <div role="status" className="space-y-2 rounded-lg border border-green-200 bg-green-50 p-4" data-testid="new-token">
          <p className="text-sm font-medium text-green-900">Copy your new token now: it will not be shown again.</p>
          <div className="flex flex-wrap items-center gap-2">
            <code className="max-w-full rounded bg-white px-2 py-1 text-xs break-all" data-testid="new-token-value">
              {created}
            </code>
            <CopyButton value={created} label="Copy token" />
          </div>
        </div>
      ) : null}
      <form action={formAction} ref={formRef} noValidate>
        <Card
          title="Create an API token"
          description="A token acts as you, in this organization only, through the REST API. It stops working if you leave the organization, and works again if you rejoin."
          footer={<SubmitButton pendingLabel="Creating…">Create token</SubmitButton>}
        >
          {readOnly ? (
            <p
              role="note"
              data-testid="token-read-only"
              className="rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-600"
            >
              Your tokens are read-only: they act with your role.
            </p>
          ) : null}
          <FormMessage error={failed?.formError} />
          <input type="hidden" name="orgName" value={orgName} />
          <Field
            label="Token name"
            name="name"
            required
            minLength={2}
            maxLength={128}
            autoComplete="off"
            defaultValue={failed?.values.name}
            errors={failed?.fieldErrors.name}
          />
          <Field
            label="Description (optional)"
            name="description"
            maxLength={500}
            autoComplete="off"
            defaultValue={failed?.values.description}
            errors={failed?.fieldErrors.description}
          />
          <SelectField
            id="token-expiry"
            label="Expires"
            name="expiresIn"
            defaultValue={failed?.values.expiresIn ?? "90d"}
            className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm"
          >
            <option value="30d">In 30 days</option>
            <option value="90d">In 90 days</option>
            <option value="1y">In 1 year</option>
            <option value="never">Never</option>
          </SelectField>
        </Card>
      </form>
    </div>
  );
}

export function DeleteTokenButton({ orgName, tokenId, tokenName }: { orgName: string; tokenId: string; tokenName: string }) {
  return (
    <ConfirmDialog
      trigger="Delete"
      triggerVariant="secondary"
      triggerSize="sm"
      triggerLabel={`Delete the token ${tokenName}`}
      title={`Delete the token ${tokenName}?`}
      description="Scripts and integrations using it stop working at once. This cannot be undone."
      typeToConfirm={tokenName}
      confirmLabel="Delete token"
      action={deleteApiTokenAction}
      fields={{ orgName, tokenId, tokenName }}
    />
  );
}

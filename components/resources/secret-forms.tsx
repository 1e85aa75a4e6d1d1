"use client";

import { useRef, useState } from "react";

import { createSecretAction, deleteSecretAction, revealSecretAction, updateSecretAction } from "@/actions/secrets";
import { SubmitButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, FormMessage, TextareaField } from "@/components/ui/field";
import { FormDialog } from "@/components/ui/form-dialog";
import { useFormAction } from "@/components/use-form-action";

const valueInputClass =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-sm outline-none focus:border-zinc-500 focus:ring-2 focus:ring-zinc-200";

export function CreateSecretForm({ orgName }: { orgName: string }) {
  const formRef = useRef<HTMLFormElement>(null);
  const [state, formAction] = useFormAction(createSecretAction, { onSuccess: () => formRef.current?.reset() });
  const failed = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} ref={formRef} noValidate>
      <Card
        title="Create a secret"
        description="Values are encrypted at rest and never shown in lists."
        footer={<SubmitButton pendingLabel="Saving…">Create secret</SubmitButton>}
      >
        <FormMessage error={failed?.formError} />
        <input type="hidden" name="orgName" value={orgName} />
        <Field
          label="Secret name"
          name="name"
          placeholder="DATABASE_URL"
          autoComplete="off"
          spellCheck={false}
          defaultValue={failed?.values.name}
          errors={failed?.fieldErrors.name}
        />
        <TextareaField
          id="secret-value"
          label="Value"
          name="secretValue"
          rows={3}
          autoComplete="off"
          spellCheck={false}
          className={valueInputClass}
          errors={failed?.fieldErrors.value}
        />
      </Card>
    </form>
  );
}

/** Reveal (recorded in the activity stream), edit and delete for one secret. */
export function SecretRowActions({ orgName, secretId, secretName }: { orgName: string; secretId: string; secretName: string }) {
  const [hidden, setHidden] = useState(false);
  const [state, reveal] = useFormAction(revealSecretAction, { toastErrors: true, onSuccess: () => setHidden(false) });
  const value = state?.ok && !hidden ? state.data : undefined;
  return (
    <div className="flex flex-wrap items-center justify-end gap-2">
      {value !== undefined ? (
        <span className="flex max-w-full items-center gap-2">
          <code className="max-w-64 truncate rounded bg-zinc-100 px-2 py-1 text-xs" data-testid="secret-value">
            {value}
          </code>
          <CopyButton value={value} />
          <button type="button" className="text-xs text-zinc-600 underline" onClick={() => setHidden(true)}>
            Hide
          </button>
        </span>
      ) : (
        <form action={reveal}>
          <input type="hidden" name="orgName" value={orgName} />
          <input type="hidden" name="secretId" value={secretId} />
          <SubmitButton variant="secondary" size="sm" aria-label={`Reveal ${secretName}`} pendingLabel="Revealing…">
            Reveal
          </SubmitButton>
        </form>
      )}
      <FormDialog
        trigger="Edit"
        triggerLabel={`Edit ${secretName}`}
        title={`Edit ${secretName}`}
        description="Leave the value empty to keep it; give a new name to rename the secret."
        submitLabel="Save"
        action={updateSecretAction}
        fields={{ orgName, secretId, secretName }}
      >
        {(errors) => (
          <>
            <Field
              id={`secret-name-${secretId}`}
              label="Name"
              name="name"
              defaultValue={secretName}
              autoComplete="off"
              spellCheck={false}
              errors={errors.name}
            />
            <TextareaField
              id={`value-${secretId}`}
              label="New value"
              name="secretValue"
              rows={3}
              autoComplete="off"
              spellCheck={false}
              className={valueInputClass}
              errors={errors.value}
            />
          </>
        )}
      </FormDialog>
      <ConfirmDialog
        trigger="Delete"
        triggerVariant="secondary"
        triggerSize="sm"
        triggerLabel={`Delete ${secretName}`}
        title={`Delete ${secretName}?`}
        description="Apps that read this secret will no longer find it. This cannot be undone."
        typeToConfirm={secretName}
        confirmLabel="Delete secret"
        action={deleteSecretAction}
        fields={{ orgName, secretId, secretName }}
      />
    </div>
  );
}

"use client";

import { deleteAccountAction } from "@/actions/account-deletion";
import { SubmitButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";

/** The account's danger zone; with two-factor on, it asks for a code too. */
export function DeleteAccountForm({ twoFactor }: { twoFactor: boolean }) {
  const [state, formAction] = useFormAction(deleteAccountAction);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form action={formAction} noValidate>
      <Card
        title="Danger zone"
        description="Delete your account for good: your sessions and API tokens end, you leave your organizations, and organizations where you are the only member are deleted with everything they own."
        footer={
          <SubmitButton variant="danger" pendingLabel="Deleting…">
            Delete my account
          </SubmitButton>
        }
      >
        <FormMessage error={state && !state.ok ? state.formError : undefined} />
        <p className="text-sm text-zinc-600">
          If you are the last owner of an organization that has other members, make another member an owner or delete the organization
          first. The activity of your organizations keeps your name and email address. This cannot be undone.
        </p>
        <Field
          label="Current password"
          id="delete-account-password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          errors={errors.currentPassword}
        />
        {twoFactor ? (
          <Field
            label="Two-factor code or recovery code"
            id="delete-account-code"
            name="code"
            autoComplete="one-time-code"
            inputMode="text"
            required
            errors={errors.code}
          />
        ) : null}
      </Card>
    </form>
  );
}

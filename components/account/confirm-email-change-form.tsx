"use client";

import { confirmEmailChangeAction } from "@/actions/account-email";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";

/** Opening the link changes nothing: this button uses it (mail scanners follow links, they do not submit forms). */
export function ConfirmEmailChangeForm({ token }: { token: string }) {
  const [state, formAction] = useFormAction(confirmEmailChangeAction);
  return (
    <form action={formAction} className="space-y-4">
      <FormMessage error={state && !state.ok ? state.formError : undefined} />
      <input type="hidden" name="token" value={token} />
      <SubmitButton className="w-full" pendingLabel="Confirming…">
        Confirm new address
      </SubmitButton>
    </form>
  );
}

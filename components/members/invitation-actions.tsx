"use client";

import { removeInvitationAction, resendInvitationAction } from "@/app/(console)/orgs/member-actions";
import { SubmitButton } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useFormAction } from "@/components/use-form-action";
import { toast } from "sonner";
import { useEffect } from "react";

export function InvitationRowActions({ orgName, invitationId, email }: { orgName: string; invitationId: string; email: string }) {
  const [state, resend] = useFormAction(resendInvitationAction);
  useEffect(() => {
    if (state && !state.ok && state.formError) toast.error(state.formError);
  }, [state]);
  return (
    <div className="flex gap-2">
      <form action={resend}>
        <input type="hidden" name="orgName" value={orgName} />
        <input type="hidden" name="invitationId" value={invitationId} />
        <SubmitButton variant="secondary" className="!px-3 !py-1.5" aria-label={`Resend the invitation to ${email}`} pendingLabel="Sending…">
          Resend
        </SubmitButton>
      </form>
      <ConfirmDialog
        trigger="Remove"
        triggerVariant="secondary"
        triggerClassName="!px-3 !py-1.5"
        triggerLabel={`Remove the invitation to ${email}`}
        title="Remove this invitation?"
        description={`The link sent to ${email} stops working. You can invite the address again later.`}
        fields={{ orgName, invitationId }}
        confirmLabel="Remove invitation"
        action={removeInvitationAction}
      />
    </div>
  );
}

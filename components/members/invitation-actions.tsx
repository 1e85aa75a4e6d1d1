"use client";

import { removeInvitationAction, resendInvitationAction } from "@/actions/invitations";
import { SubmitButton } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useFormAction } from "@/components/use-form-action";

export function InvitationRowActions({ orgName, invitationId, email }: { orgName: string; invitationId: string; email: string }) {
  // A refusal (the cooldown) has no room in the row: it is toasted.
  const [, resend] = useFormAction(resendInvitationAction, { toastErrors: true });
  return (
    <div className="flex gap-2">
      <form action={resend}>
        <input type="hidden" name="orgName" value={orgName} />
        <input type="hidden" name="invitationId" value={invitationId} />
        <SubmitButton variant="secondary" size="sm" aria-label={`Resend the invitation to ${email}`} pendingLabel="Sending…">
          Resend
        </SubmitButton>
      </form>
      <ConfirmDialog
        trigger="Remove"
        triggerVariant="secondary"
        triggerSize="sm"
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

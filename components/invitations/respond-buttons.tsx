"use client";

import { acceptInvitationAction, declineInvitationAction } from "@/actions/invitations";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";

/** Join and Decline for one invitation: by its link's token, or by id when listed to its own recipient. */
export function RespondButtons({ token, invitationId, orgName }: { token?: string; invitationId?: string; orgName: string }) {
  const [accepted, accept] = useFormAction(acceptInvitationAction);
  const [declined, decline] = useFormAction(declineInvitationAction);
  const error = (accepted && !accepted.ok ? accepted.formError : undefined) ?? (declined && !declined.ok ? declined.formError : undefined);
  const hidden = token ? (
    <input type="hidden" name="token" value={token} />
  ) : (
    <input type="hidden" name="invitationId" value={invitationId} />
  );
  return (
    <div className="space-y-3">
      <FormMessage error={error} />
      <div className="flex flex-wrap gap-3">
        <form action={accept}>
          {hidden}
          <SubmitButton pendingLabel="Joining…" aria-label={`Join ${orgName}`}>
            Join
          </SubmitButton>
        </form>
        <form action={decline}>
          {hidden}
          <SubmitButton variant="secondary" pendingLabel="Declining…" aria-label={`Decline the invitation to ${orgName}`}>
            Decline
          </SubmitButton>
        </form>
      </div>
    </div>
  );
}

import { Card } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import type { InvitationForUser } from "@/lib/shared/invitations";

import { RespondButtons } from "./respond-buttons";

/** The invitations waiting for the signed-in user, with Join / Decline. */
export function PendingInvitations({ invitations, verified }: { invitations: InvitationForUser[]; verified: boolean }) {
  if (invitations.length === 0) return null;
  return (
    <Card
      title="Invitations"
      description={
        verified
          ? "Organizations that invited you."
          : "Verify your email address to answer these here, or use the link in the invitation e-mail."
      }
    >
      <ul className="divide-y divide-zinc-200" aria-label="Your invitations">
        {invitations.map((invitation) => (
          <li key={invitation.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="my-invitation">
            <div>
              <p className="text-sm font-medium">{invitation.orgName}</p>
              <p className="text-xs text-zinc-500">
                Invited by {invitation.inviterName} · <RelativeTime date={invitation.expiresAt} prefix="expires " />
              </p>
            </div>
            {verified ? <RespondButtons invitationId={invitation.id} orgName={invitation.orgName} /> : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}

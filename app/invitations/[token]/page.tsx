import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { signOutToInvitationAction } from "@/actions/invitations";
import { AuthCard } from "@/components/auth/auth-card";
import { RespondButtons } from "@/components/invitations/respond-buttons";
import { SubmitButton } from "@/components/ui/button";
import { buttonClass } from "@/components/ui/button-class";
import { getDb } from "@/db";
import { viewInvitation, type InvitationState } from "@/lib/invitations/respond";
import { getCurrentUser } from "@/lib/next/session";

export const metadata: Metadata = { title: "Invitation" };

const closed: Record<Exclude<InvitationState, "pending" | "not_found">, { title: string; description: string }> = {
  expired: {
    title: "This invitation has expired",
    description: "Invitations work for 7 days. Ask a member of the organization to send it again.",
  },
  accepted: { title: "This invitation was already accepted", description: "Sign in to reach the organization." },
  declined: {
    title: "This invitation was declined",
    description: "Ask a member of the organization to invite you again if you changed your mind.",
  },
  removed: {
    title: "This invitation was removed",
    description: "The organization withdrew it. Ask one of its members if you think this is a mistake.",
  },
};

/** Public: works signed out. Reading it changes nothing; Join and Decline are explicit POSTs. */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([viewInvitation(await getDb(), token), getCurrentUser()]);

  // An unknown link answers 404 (./not-found.tsx says why, in words).
  if (invitation.state === "not_found") notFound();
  if (invitation.state !== "pending") {
    const { title, description } = closed[invitation.state];
    return (
      <AuthCard title={title} description={description}>
        <div data-testid="invitation-state" data-state={invitation.state} />
        <Link href="/" className={buttonClass("secondary", "w-full")}>
          Go to the console
        </Link>
      </AuthCard>
    );
  }

  const heading = `${invitation.inviterName} invited you to join ${invitation.orgName}`;
  const here = `/invitations/${encodeURIComponent(token)}`;
  const twoFactorNote = invitation.requiresTwoFactor ? (
    <p className="text-sm text-amber-800" data-testid="invitation-two-factor">
      {invitation.orgName} requires two-factor authentication: turn it on (Account → Security) to open the organization once you join.
    </p>
  ) : null;
  if (!user) {
    return (
      <AuthCard
        title={heading}
        description={
          <>
            The invitation is for <strong>{invitation.email}</strong>.
          </>
        }
      >
        <div className="space-y-3">
          {twoFactorNote}
          <Link href={`${here}/sign-up`} className={buttonClass("primary", "w-full")}>
            Sign up to join
          </Link>
          <Link href={`/sign-in?returnTo=${encodeURIComponent(here)}`} className={buttonClass("secondary", "w-full")}>
            Sign in to join
          </Link>
        </div>
      </AuthCard>
    );
  }

  if (user.email !== invitation.email) {
    return (
      <AuthCard
        title={heading}
        description={
          <>
            This invitation is for <strong>{invitation.email}</strong>, and you are signed in as <strong>{user.email}</strong>. Sign out,
            then sign in or sign up with {invitation.email}.
          </>
        }
      >
        <form action={signOutToInvitationAction}>
          <input type="hidden" name="token" value={token} />
          <SubmitButton className="w-full">Sign out</SubmitButton>
        </form>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={heading} description="Members share the organization's apps, secrets, activity and billing.">
      {twoFactorNote}
      <RespondButtons token={token} orgName={invitation.orgName!} />
    </AuthCard>
  );
}

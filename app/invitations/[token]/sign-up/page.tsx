import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { AuthCard } from "@/components/auth/auth-card";
import { InvitationSignUpForm } from "@/components/invitations/invitation-sign-up-form";
import { getDb } from "@/db";
import { viewInvitation } from "@/lib/invitations/respond";
import { getCurrentUser } from "@/lib/next/session";

export const metadata: Metadata = { title: "Create your account" };

export default async function InvitationSignUpPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const back = `/invitations/${encodeURIComponent(token)}`;
  const [invitation, user] = await Promise.all([viewInvitation(await getDb(), token), getCurrentUser()]);
  if (user || invitation.state !== "pending" || !invitation.email) redirect(back);
  return (
    <AuthCard title={`Create your account to join ${invitation.orgName}`} description="Your email address is verified by this invitation.">
      <InvitationSignUpForm token={token} email={invitation.email} />
    </AuthCard>
  );
}

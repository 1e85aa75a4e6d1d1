import type { Metadata } from "next";
import Link from "next/link";

import { PendingInvitations } from "@/components/invitations/pending-invitations";
import { CreateOrgForm } from "@/components/orgs/create-org-form";
import { VerifyRequired } from "@/components/shell/verify-required";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { env } from "@/lib/core/env";
import { listInvitationsForUser } from "@/lib/invitations/respond";
import { requireUser } from "@/lib/next/session";
import { landingOrgName } from "@/lib/orgs/memberships";

export const metadata: Metadata = { title: "Welcome" };

export default async function OnboardingPage() {
  const user = await requireUser("/onboarding");
  // No redirect when the user already has an org: the create action re-renders this
  // page on success, and a redirect here would swallow its toast.
  const db = await getDb();
  const [existing, invitations] = await Promise.all([landingOrgName(db, user.id), listInvitationsForUser(db, user.id)]);
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Welcome, {user.name}</h1>
        <p className="mt-1 text-sm text-zinc-600">
          Everything in the console lives in an organization. Create your first one; you can invite your team right after.
        </p>
      </div>
      {existing ? (
        <p className="text-sm text-zinc-600">
          You already belong to an organization:{" "}
          <Link href={`/orgs/${existing}`} className="font-medium text-zinc-900 underline">
            go to {existing}
          </Link>
          .
        </p>
      ) : null}
      <PendingInvitations invitations={invitations} verified={Boolean(user.emailVerifiedAt)} />
      {user.emailVerifiedAt ? null : <VerifyRequired email={user.email} action="create an organization" />}
      <Card title={invitations.length ? "Or create your own organization" : undefined}>
        <CreateOrgForm appsDomain={env().APPS_DOMAIN} verifyFirst={!user.emailVerifiedAt} />
      </Card>
    </div>
  );
}

import type { Metadata } from "next";

import { CreateOrgForm } from "@/components/orgs/create-org-form";
import { VerifyRequired } from "@/components/shell/verify-required";
import { Card } from "@/components/ui/card";
import { env } from "@/lib/core/env";
import { requireUser } from "@/lib/next/session";

export const metadata: Metadata = { title: "Create an organization" };

export default async function NewOrgPage() {
  const user = await requireUser("/orgs/new");
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Create an organization</h1>
        <p className="mt-1 text-sm text-zinc-600">An organization has its own members, apps, billing and activity.</p>
      </div>
      {user.emailVerifiedAt ? null : <VerifyRequired email={user.email} action="create an organization" />}
      <Card>
        <CreateOrgForm appsDomain={env().APPS_DOMAIN} verifyFirst={!user.emailVerifiedAt} />
      </Card>
    </div>
  );
}

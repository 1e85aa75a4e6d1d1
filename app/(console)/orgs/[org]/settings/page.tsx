import type { Metadata } from "next";
import { DangerZone } from "@/components/orgs/danger-zone";
import { RenameOrgForm } from "@/components/orgs/rename-org-form";
import { getDb } from "@/db";
import { requireOrgAccess } from "@/lib/next/org-access";
import { env } from "@/lib/core/env";
import { getOrgOverview } from "@/lib/orgs/organizations";

export const metadata: Metadata = { title: "Settings" };

export default async function OrgSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const access = await requireOrgAccess((await params).org, "/settings");
  const { org, user } = access;
  const { memberCount } = await getOrgOverview(await getDb(), user.id, access);
  return (
    <div className="max-w-2xl space-y-8">
      <RenameOrgForm orgName={org.name} appsDomain={env().APPS_DOMAIN} />
      <DangerZone orgName={org.name} isLastMember={memberCount <= 1} />
    </div>
  );
}

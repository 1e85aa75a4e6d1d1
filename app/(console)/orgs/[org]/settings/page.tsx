import type { Metadata } from "next";

import { DangerZone } from "@/components/orgs/danger-zone";
import { RenameOrgForm } from "@/components/orgs/rename-org-form";
import { TwoFactorPolicyForm } from "@/components/orgs/two-factor-policy-form";
import { getDb } from "@/db";
import { env } from "@/lib/core/env";
import { requireOrgAccess } from "@/lib/next/org-access";
import { listMembers } from "@/lib/orgs/members";
import { getOrgOverview } from "@/lib/orgs/organizations";
import { listMembersWithoutTwoFactor } from "@/lib/orgs/two-factor-policy";
import { can } from "@/lib/shared/roles";

export const metadata: Metadata = { title: "Settings" };

export default async function OrgSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const access = await requireOrgAccess((await params).org, "/settings");
  const { org, user, role } = access;
  const db = await getDb();
  const [{ memberCount }, owners, withoutTwoFactor] = await Promise.all([
    getOrgOverview(db, user.id, access),
    // Only an owner can be the last owner, who may not leave while others remain.
    role === "owner" ? listMembers(db, user.id, access, { role: "owner", limit: 2 }) : undefined,
    // Who requiring two-factor would stop, for the owners who may require it.
    can(role, "org.two_factor_policy") ? listMembersWithoutTwoFactor(db, user.id, access) : [],
  ]);
  const isLastMember = memberCount <= 1;
  return (
    <div className="max-w-2xl space-y-8">
      <RenameOrgForm orgName={org.name} appsDomain={env().APPS_DOMAIN} canRename={can(role, "org.rename")} />
      <TwoFactorPolicyForm
        orgName={org.name}
        required={org.requireTwoFactor}
        canChange={can(role, "org.two_factor_policy")}
        membersWithout={withoutTwoFactor.map(({ name, email }) => ({ name, email }))}
      />
      <DangerZone
        orgName={org.name}
        isLastMember={isLastMember}
        isLastOwner={!isLastMember && owners !== undefined && owners.total <= 1}
        canDelete={can(role, "org.delete")}
      />
    </div>
  );
}

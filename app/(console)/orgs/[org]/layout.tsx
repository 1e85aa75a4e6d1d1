import { getDb } from "@/db";
import { OrgNav } from "@/components/orgs/org-nav";
import { Avatar } from "@/components/ui/avatar";
import { orgSubPath, requireOrgAccess } from "@/lib/next/org-access";
import { rememberLastOrg } from "@/lib/orgs/memberships";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org: orgName } = await params;
  // The access check runs here, above the pages' loading boundary, so that it ends
  // before anything streams: a non-member gets a real 404, a former name a real
  // redirect (keeping the page). The pages check again (a layout is not re-run on
  // every navigation).
  const { org, user } = await requireOrgAccess(orgName, await orgSubPath());
  // The session already says which org was used last: write only when it changes.
  if (user.lastOrgId !== org.id) await rememberLastOrg(await getDb(), user.id, org.id);
  return (
    <div className="space-y-6">
      <div className="flex items-center gap-3">
        <Avatar label={org.name} square />
        <h1 className="truncate text-2xl font-semibold tracking-tight" data-testid="org-title">
          {org.name}
        </h1>
      </div>
      <OrgNav orgName={org.name} />
      {children}
    </div>
  );
}

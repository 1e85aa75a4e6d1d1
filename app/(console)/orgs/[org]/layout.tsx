import { getDb } from "@/db";
import { OrgNav } from "@/components/orgs/org-nav";
import { Avatar } from "@/components/ui/avatar";
import { findOrgAccess } from "@/lib/next/org-access";
import { rememberLastOrg } from "@/lib/orgs/memberships";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org: orgName } = await params;
  const access = await findOrgAccess(orgName);
  // Not a member (or a former name): the page itself answers with a redirect or the 404.
  if (!access) return children;
  const { org, user } = access;
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

import { OrgNav } from "@/components/orgs/org-nav";
import { Avatar } from "@/components/ui/avatar";
import { checkOrgAccess, orgSubPath } from "@/lib/next/org-access";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org: orgName } = await params;
  // The access check runs here, above the pages' loading boundary, so that it ends
  // before anything streams: a non-member gets a real 404, a former name a real
  // redirect (keeping the page). The pages check again (a layout is not re-run on
  // every navigation).
  const { org } = await checkOrgAccess(orgName, await orgSubPath());
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

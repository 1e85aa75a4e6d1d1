import { BillingStateBanner } from "@/components/billing/billing-state-banner";
import { OrgNav } from "@/components/orgs/org-nav";
import { Avatar } from "@/components/ui/avatar";
import { checkOrgAccess, orgSubPath } from "@/lib/next/org-access";
import { can } from "@/lib/shared/roles";

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const { org: orgName } = await params;
  // The access check runs here, above the pages' loading boundary, so that it ends
  // before anything streams: a non-member gets a real 404, a former name a real
  // redirect (keeping the page). The pages check again (a layout is not re-run on
  // every navigation).
  const { org, role } = await checkOrgAccess(orgName, await orgSubPath());
  return (
    <div className="space-y-6">
      <div className="flex items-center gap-3 print:hidden">
        <Avatar label={org.name} square />
        <h1 className="truncate text-2xl font-semibold tracking-tight" data-testid="org-title">
          {org.name}
        </h1>
      </div>
      <div className="print:hidden">
        <OrgNav orgName={org.name} />
      </div>
      {/* From the org row the access check already read: no query of its own. */}
      {org.billingState !== "current" ? (
        <BillingStateBanner state={org.billingState} orgName={org.name} canManageBilling={can(role, "billing.manage")} />
      ) : null}
      {children}
    </div>
  );
}

import { SubNav } from "@/components/ui/sub-nav";
import { findOrgAccess } from "@/lib/next/org-access";
import { can } from "@/lib/shared/roles";

export default async function SettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const orgName = (await params).org;
  const base = `/orgs/${orgName}/settings`;
  // The org layout's check, cached for this request (no second query): invoices are for those who manage billing.
  const access = await findOrgAccess(decodeURIComponent(orgName));
  const managesBilling = access ? can(access.role, "billing.manage") : false;
  return (
    <div className="grid gap-6 md:grid-cols-[12rem_1fr] print:block">
      <div className="min-w-0 print:hidden">
        <SubNav
          label="Settings"
          items={[
            { href: base, label: "General" },
            { href: `${base}/plan`, label: "Plan" },
            { href: `${base}/billing`, label: "Billing" },
            ...(managesBilling ? [{ href: `${base}/invoices`, label: "Invoices", prefix: true }] : []),
            { href: `${base}/api`, label: "API tokens" },
          ]}
        />
      </div>
      <div className="min-w-0">{children}</div>
    </div>
  );
}

import { TabNav } from "@/components/ui/tab-nav";

export function OrgNav({ orgName }: { orgName: string }) {
  const base = `/orgs/${orgName}`;
  return (
    <TabNav
      label="Organization"
      tabs={[
        { href: base, label: "Overview", exact: true },
        { href: `${base}/members`, label: "Members" },
        { href: `${base}/invitations`, label: "Invitations" },
        { href: `${base}/apps`, label: "Apps" },
        { href: `${base}/secrets`, label: "Secrets" },
        { href: `${base}/activity`, label: "Activity" },
        { href: `${base}/settings`, label: "Settings" },
      ]}
    />
  );
}

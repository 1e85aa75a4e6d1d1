import { TabNav } from "@/components/ui/tab-nav";

export function AccountTabs() {
  return (
    <TabNav
      label="Account settings"
      tabs={[
        { href: "/account", label: "Profile", exact: true },
        { href: "/account/security", label: "Security", exact: true },
        { href: "/account/organizations", label: "Organizations", exact: true },
      ]}
    />
  );
}

import { SubNav } from "@/components/ui/sub-nav";

export default async function SettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ org: string }> }) {
  const base = `/orgs/${(await params).org}/settings`;
  return (
    <div className="grid gap-6 md:grid-cols-[12rem_1fr]">
      <SubNav
        label="Settings"
        items={[
          { href: base, label: "General" },
          { href: `${base}/plan`, label: "Plan" },
          { href: `${base}/billing`, label: "Billing" },
          { href: `${base}/api`, label: "API tokens" },
        ]}
      />
      <div className="min-w-0">{children}</div>
    </div>
  );
}

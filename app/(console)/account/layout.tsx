import { AccountTabs } from "@/components/account/account-tabs";

export default function AccountLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Account settings</h1>
        <p className="mt-1 text-sm text-zinc-600">Your profile, security and organizations.</p>
      </div>
      <AccountTabs />
      <div className="max-w-2xl space-y-6">{children}</div>
    </div>
  );
}

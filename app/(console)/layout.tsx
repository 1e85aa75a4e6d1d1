import Link from "next/link";

import { OrgSwitcher } from "@/components/shell/org-switcher";
import { UserMenu } from "@/components/shell/user-menu";
import { VerifyBanner } from "@/components/shell/verify-banner";
import { getMemberships } from "@/lib/next/org-access";
import { requestPath, requireUser } from "@/lib/next/session";
import { pickLandingOrg } from "@/lib/orgs/memberships";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  // Signed out: to sign in, then back to the page asked for (the layout renders first).
  const user = await requireUser(await requestPath());
  // The same list the org layout's access check reads (one query for both).
  const orgs = (await getMemberships(user.id)).map(({ org }) => ({ id: org.id, name: org.name }));
  const lastOrgName = pickLandingOrg(orgs, user.lastOrgId);
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="sticky top-0 z-40 border-b border-zinc-200 bg-white print:hidden">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4">
          <Link href="/" className="font-semibold tracking-tight text-zinc-900">
            Console
          </Link>
          <span className="text-zinc-300" aria-hidden>
            /
          </span>
          <div className="min-w-0 flex-1">
            <OrgSwitcher orgs={orgs.map((org) => ({ name: org.name }))} lastOrgName={lastOrgName} />
          </div>
          <UserMenu name={user.name} email={user.email} />
        </div>
      </header>
      {user.emailVerifiedAt ? null : (
        <div className="print:hidden">
          <VerifyBanner email={user.email} />
        </div>
      )}
      <main className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 sm:py-8 print:max-w-none print:p-0">{children}</main>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";

import { PendingInvitations } from "@/components/invitations/pending-invitations";
import { Avatar } from "@/components/ui/avatar";
import { buttonClass } from "@/components/ui/button-class";
import { EmptyState } from "@/components/ui/empty-state";
import { List, ListRow } from "@/components/ui/list";
import { getDb } from "@/db";
import { listInvitationsForUser } from "@/lib/invitations/respond";
import { requireUser } from "@/lib/next/session";
import { listUserOrganizations, pickLandingOrg } from "@/lib/orgs/memberships";

export const metadata: Metadata = { title: "Organizations" };

export default async function AccountOrganizationsPage() {
  const user = await requireUser("/account/organizations");
  const db = await getDb();
  const [orgs, invitations] = await Promise.all([listUserOrganizations(db, user.id), listInvitationsForUser(db, user.id)]);
  const currentName = pickLandingOrg(orgs, user.lastOrgId);
  return (
    <section className="space-y-4">
      <PendingInvitations invitations={invitations} verified={Boolean(user.emailVerifiedAt)} />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-600">The organizations you are a member of.</p>
        <Link href="/orgs/new" className={buttonClass("primary")}>
          Create organization
        </Link>
      </div>
      {orgs.length === 0 ? (
        <EmptyState>You are not a member of any organization yet.</EmptyState>
      ) : (
        <List aria-label="Your organizations">
          {orgs.map((org) => (
            <ListRow key={org.id} data-testid="account-org-row">
              <Avatar label={org.name} square />
              <div className="min-w-0 flex-1">
                <p className="truncate text-sm font-medium">{org.name}</p>
                <p className="text-xs text-zinc-500 capitalize">{org.plan}</p>
              </div>
              {org.name === currentName ? (
                <span className="rounded bg-zinc-100 px-2 py-1 text-xs text-zinc-600">Current</span>
              ) : (
                <Link href={`/orgs/${org.name}`} className={buttonClass("secondary", "!py-1.5")} aria-label={`Switch to ${org.name}`}>
                  Switch
                </Link>
              )}
              <Link href={`/orgs/${org.name}/settings`} className={buttonClass("ghost", "!py-1.5")} aria-label={`Manage ${org.name}`}>
                Manage
              </Link>
            </ListRow>
          ))}
        </List>
      )}
    </section>
  );
}

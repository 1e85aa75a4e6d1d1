import type { Metadata } from "next";
import Link from "next/link";

import { InvitationRowActions } from "@/components/members/invitation-actions";
import { RoleBadge } from "@/components/members/role-badge";
import { EmptyState } from "@/components/ui/empty-state";
import { List, ListRow } from "@/components/ui/list";
import { PermissionNote } from "@/components/ui/permission-note";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db";
import { listPendingInvitations } from "@/lib/invitations/invite";
import { requireOrgAccess } from "@/lib/next/org-access";
import { can } from "@/lib/shared/roles";

export const metadata: Metadata = { title: "Invitations" };

export default async function InvitationsPage({ params }: { params: Promise<{ org: string }> }) {
  const access = await requireOrgAccess((await params).org, "/invitations");
  const { org, user, role } = access;
  const invitations = await listPendingInvitations(await getDb(), user.id, access);
  const canManage = can(role, "invitations.manage");
  if (invitations.length === 0) {
    return (
      <EmptyState as="div">
        No pending invitations.
        {canManage ? (
          <>
            {" "}
            <Link href={`/orgs/${org.name}/members`} className="font-medium text-zinc-900 underline">
              Invite members
            </Link>
          </>
        ) : null}
      </EmptyState>
    );
  }
  return (
    <div className="space-y-4">
      {canManage ? null : <PermissionNote permission="invitations.manage" />}
      <List aria-label="Pending invitations">
        {invitations.map((invitation) => (
          <ListRow key={invitation.id} data-testid="invitation-row" data-role={invitation.role}>
            <div className="min-w-0 flex-1">
              <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                <span className="break-all">{invitation.email}</span>
                <RoleBadge role={invitation.role} testId="invitation-role" />
                {invitation.expired ? (
                  <span className="rounded bg-red-50 px-1.5 py-0.5 text-xs text-red-700">Expired</span>
                ) : (
                  <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800">Invite pending</span>
                )}
              </p>
              <p className="text-xs text-zinc-500">
                Invited by {invitation.invitedByName} · sent <RelativeTime date={invitation.lastSentAt} /> ·{" "}
                {invitation.expired ? (
                  <RelativeTime date={invitation.expiresAt} prefix="expired " />
                ) : (
                  <RelativeTime date={invitation.expiresAt} prefix="expires " />
                )}
              </p>
            </div>
            {canManage ? <InvitationRowActions orgName={org.name} invitationId={invitation.id} email={invitation.email} /> : null}
          </ListRow>
        ))}
      </List>
    </div>
  );
}

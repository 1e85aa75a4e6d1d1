import type { Metadata } from "next";
import Link from "next/link";
import { InvitationRowActions } from "@/components/members/invitation-actions";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db";
import { requireOrgAccess } from "@/lib/next/org-access";
import { listPendingInvitations } from "@/lib/invitations/invite";

export const metadata: Metadata = { title: "Invitations" };

export default async function InvitationsPage({ params }: { params: Promise<{ org: string }> }) {
  const access = await requireOrgAccess((await params).org, "/invitations");
  const { org, user } = access;
  const invitations = await listPendingInvitations(await getDb(), user.id, access);
  if (invitations.length === 0) {
    return (
      <div className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600">
        No pending invitations.{" "}
        <Link href={`/orgs/${org.name}/members`} className="font-medium text-zinc-900 underline">
          Invite members
        </Link>
      </div>
    );
  }
  return (
    <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white" aria-label="Pending invitations">
      {invitations.map((invitation) => (
        <li key={invitation.id} className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid="invitation-row">
          <div className="min-w-0 flex-1">
            <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
              <span className="break-all">{invitation.email}</span>
              {invitation.expired ? (
                <span className="rounded bg-red-50 px-1.5 py-0.5 text-xs text-red-700">Expired</span>
              ) : (
                <span className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800">Invite pending</span>
              )}
            </p>
            <p className="text-xs text-zinc-500">
              Invited by {invitation.invitedByName} · sent <RelativeTime date={invitation.lastSentAt} /> ·{" "}
              {invitation.expired ? <RelativeTime date={invitation.expiresAt} prefix="expired " /> : <RelativeTime date={invitation.expiresAt} prefix="expires " />}
            </p>
          </div>
          <InvitationRowActions orgName={org.name} invitationId={invitation.id} email={invitation.email} />
        </li>
      ))}
    </ul>
  );
}

import type { Metadata } from "next";
import { LeaveOrgButton } from "@/components/orgs/danger-zone";
import { Avatar } from "@/components/ui/avatar";
import { getDb } from "@/db";
import { requireOrgAccess } from "@/lib/auth/org-access";
import { listMembers } from "@/lib/memberships";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org, user } = await requireOrgAccess((await params).org, "/members");
  const { members } = await listMembers(await getDb(), user.id, org.name);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-zinc-600">
          {members.length} {members.length === 1 ? "member" : "members"}. Every member has the same rights.
        </p>
        <LeaveOrgButton orgName={org.name} isLastMember={members.length <= 1} />
      </div>
      <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white" aria-label="Members">
        {members.map((member) => (
          <li key={member.userId} className="flex items-center gap-3 px-4 py-3" data-testid="member-row">
            <Avatar label={member.name} />
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm font-medium">
                {member.name}
                {member.userId === user.id ? <span className="ml-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-600">You</span> : null}
              </p>
              <p className="truncate text-sm text-zinc-600">{member.email}</p>
            </div>
            <time className="hidden text-xs text-zinc-500 sm:block" dateTime={member.joinedAt.toISOString()} title={member.joinedAt.toISOString()}>
              Joined {member.joinedAt.toISOString().slice(0, 10)}
            </time>
          </li>
        ))}
      </ul>
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { InviteForm } from "@/components/members/invite-form";
import { MemberRowActions } from "@/components/members/member-actions";
import { VerifyRequired } from "@/components/shell/verify-required";
import { Avatar } from "@/components/ui/avatar";
import { buttonClass } from "@/components/ui/button-class";
import { EmptyState } from "@/components/ui/empty-state";
import { List, ListRow } from "@/components/ui/list";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db";
import { requireOrgAccess } from "@/lib/next/org-access";
import { listMembers } from "@/lib/orgs/members";
import { seatLimitMessage } from "@/lib/shared/plans";
import { getSeatUsage } from "@/lib/orgs/seats";

export const metadata: Metadata = { title: "Members" };

type Props = { params: Promise<{ org: string }>; searchParams: Promise<{ q?: string; after?: string }> };

export default async function MembersPage({ params, searchParams }: Props) {
  const access = await requireOrgAccess((await params).org, "/members");
  const { org, user } = access;
  const { q, after } = await searchParams;
  const db = await getDb();
  const [page, seats] = await Promise.all([listMembers(db, user.id, access, { query: q, cursor: after }), getSeatUsage(db, user.id, access)]);
  const { limit, taken } = seats;
  const query = q?.trim() ?? "";
  return (
    <div className="space-y-6">
      {user.emailVerifiedAt ? null : <VerifyRequired email={user.email} action="invite anyone" />}
      <InviteForm
        orgName={org.name}
        seatsFull={seats.full}
        seatMessage={limit !== null ? seatLimitMessage(limit) : undefined}
        verifyFirst={!user.emailVerifiedAt}
      />

      <section className="space-y-3" aria-labelledby="members-heading">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h2 id="members-heading" className="text-base font-semibold">
              Members
            </h2>
            <p className="text-sm text-zinc-600" data-testid="seat-usage">
              {seats.members} {seats.members === 1 ? "member" : "members"}
              {seats.pending ? `, ${seats.pending} pending ${seats.pending === 1 ? "invitation" : "invitations"}` : ""}
              {limit !== null ? ` · ${taken} of ${limit} seats used` : " · unlimited seats"}
            </p>
          </div>
          <form role="search" className="flex gap-2" action={`/orgs/${org.name}/members`}>
            <label htmlFor="member-search" className="sr-only">
              Search members
            </label>
            <input
              id="member-search"
              type="search"
              name="q"
              defaultValue={query}
              placeholder="Search by name or email"
              className="w-56 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm outline-none focus:border-zinc-500 focus:ring-2 focus:ring-zinc-200"
            />
            <button type="submit" className={buttonClass("secondary", "!py-1.5")}>
              Search
            </button>
          </form>
        </div>

        {page.members.length === 0 ? (
          <EmptyState>
            {query ? `No member matches “${query}”.` : "No members."}
          </EmptyState>
        ) : (
          <List aria-label="Members">
            {page.members.map((member) => (
              <ListRow key={member.userId} data-testid="member-row">
                <Avatar label={member.name} />
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm font-medium">
                    {member.name}
                    {member.userId === user.id ? <span className="ml-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-600">You</span> : null}
                  </p>
                  <p className="truncate text-sm text-zinc-600">{member.email}</p>
                </div>
                <span className="hidden text-xs text-zinc-500 sm:block">
                  <RelativeTime date={member.joinedAt} prefix="Joined " />
                </span>
                <MemberRowActions
                  orgName={org.name}
                  userId={member.userId}
                  name={member.name}
                  isSelf={member.userId === user.id}
                  isLastMember={seats.members <= 1}
                />
              </ListRow>
            ))}
          </List>
        )}
        <nav aria-label="Pages" className="flex items-center justify-between text-sm text-zinc-600">
          <span>
            {page.total} {query ? "matching" : "in all"}
          </span>
          <span className="flex gap-3">
            {after ? (
              <Link href={`/orgs/${org.name}/members${query ? `?q=${encodeURIComponent(query)}` : ""}`} className="underline">
                First page
              </Link>
            ) : null}
            {page.nextCursor ? (
              <Link href={`/orgs/${org.name}/members?${new URLSearchParams({ ...(query ? { q: query } : {}), after: page.nextCursor })}`} className="underline">
                Next page
              </Link>
            ) : null}
          </span>
        </nav>
      </section>
    </div>
  );
}

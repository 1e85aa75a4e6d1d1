import type { Metadata } from "next";
import Link from "next/link";

import { InviteForm } from "@/components/members/invite-form";
import { MemberListActions } from "@/components/members/member-actions";
import { memberRowsHtml } from "@/components/members/member-row-html";
import { VerifyRequired } from "@/components/shell/verify-required";
import { buttonClass } from "@/components/ui/button-class";
import { EmptyState } from "@/components/ui/empty-state";
import { ServerMarkup } from "@/components/ui/server-markup";
import { getDb } from "@/db";
import { requireOrgAccess } from "@/lib/next/org-access";
import { listMembers } from "@/lib/orgs/members";
import { getSeatUsage } from "@/lib/orgs/seats";
import { seatLimitMessage } from "@/lib/shared/plans";
import { assignableRoles, can, isRole, ROLE_LABELS, ROLES, type Role } from "@/lib/shared/roles";

export const metadata: Metadata = { title: "Members" };

type Props = { params: Promise<{ org: string }>; searchParams: Promise<{ q?: string; role?: string; after?: string }> };

/** The members list's URL with its filters (and a page cursor); empty ones are left out. */
function membersHref(orgName: string, filters: { q: string; role?: Role; after?: string }): string {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.role) params.set("role", filters.role);
  if (filters.after) params.set("after", filters.after);
  return `/orgs/${orgName}/members${params.size ? `?${params}` : ""}`;
}

function emptyMessage(query: string, role: Role | undefined): string {
  const withRole = role ? ` with the role ${ROLE_LABELS[role]}` : "";
  if (query) return `No member${withRole} matches “${query}”.`;
  return role ? `No members${withRole}.` : "No members.";
}

export default async function MembersPage({ params, searchParams }: Props) {
  const access = await requireOrgAccess((await params).org, "/members");
  const { org, user, role: viewerRole } = access;
  const { q, role: roleParam, after } = await searchParams;
  const query = typeof q === "string" ? q.trim() : "";
  // An unknown role in the URL (an old or edited link) shows everyone, as lib/ does.
  const roleFilter = isRole(roleParam) ? roleParam : undefined;
  const db = await getDb();
  const isOwner = viewerRole === "owner";
  const filtered = Boolean(query || roleFilter);
  // One count of the members per request: the seats' count is the list's total unless it is filtered.
  const [page, seats, owners] = await Promise.all([
    listMembers(db, user.id, access, { query, role: roleFilter, cursor: after, count: filtered }),
    getSeatUsage(db, user.id, access),
    // Only an owner can be the last owner: then their own Leave explains why not.
    isOwner ? listMembers(db, user.id, access, { role: "owner", limit: 2, count: false }) : undefined,
  ]);
  const { limit, taken } = seats;
  const total = page.total ?? seats.members;
  const isLastMember = seats.members <= 1;
  const isLastOwner = isOwner && (owners?.members.length ?? 0) <= 1 && !isLastMember;

  const canInvite = can(viewerRole, "invitations.manage");

  return (
    <div className="space-y-6">
      {canInvite && !user.emailVerifiedAt ? <VerifyRequired email={user.email} action="invite anyone" /> : null}
      <InviteForm
        orgName={org.name}
        viewerRole={viewerRole}
        seatsFull={seats.full}
        seatMessage={limit !== null ? seatLimitMessage(limit, org) : undefined}
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
          <form
            role="search"
            aria-label="Filter members"
            className="flex w-full flex-wrap gap-2 sm:w-auto"
            action={`/orgs/${org.name}/members`}
          >
            <label htmlFor="member-search" className="sr-only">
              Search members
            </label>
            <input
              id="member-search"
              type="search"
              name="q"
              defaultValue={query}
              placeholder="Search by name or email"
              className="w-full rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm outline-none focus:border-zinc-500 focus:ring-2 focus:ring-zinc-200 sm:w-56"
            />
            <label htmlFor="member-role-filter" className="sr-only">
              Role
            </label>
            <select
              id="member-role-filter"
              name="role"
              defaultValue={roleFilter ?? ""}
              data-testid="member-role-filter"
              className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white py-1.5 pr-8 pl-2.5 text-sm outline-none focus:border-zinc-500 focus:ring-2 focus:ring-zinc-200 sm:flex-none"
            >
              <option value="">All roles</option>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
            <button type="submit" className={buttonClass("secondary", "!py-1.5")}>
              Search
            </button>
          </form>
        </div>

        {page.members.length === 0 ? (
          <EmptyState as="div">
            {emptyMessage(query, roleFilter)}
            {filtered ? (
              <>
                {" "}
                <Link href={membersHref(org.name, { q: "" })} className="font-medium text-zinc-900 underline">
                  Show all members
                </Link>
              </>
            ) : null}
          </EmptyState>
        ) : (
          <MemberListActions orgName={org.name} isLastMember={isLastMember} isLastOwner={isLastOwner}>
            <ServerMarkup
              as="ul"
              className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white"
              aria-label="Members"
              html={memberRowsHtml(page.members, {
                viewerId: user.id,
                canChangeRoles: can(viewerRole, "members.change_role"),
                canRemoveMembers: can(viewerRole, "members.remove"),
                canManageOwners: can(viewerRole, "owners.manage"),
                assignable: assignableRoles(viewerRole),
              })}
            />
          </MemberListActions>
        )}
        <nav aria-label="Pages" className="flex items-center justify-between text-sm text-zinc-600">
          <span data-testid="member-total">
            {total} {filtered ? "matching" : "in all"}
          </span>
          <span className="flex gap-3">
            {after ? (
              <Link href={membersHref(org.name, { q: query, role: roleFilter })} className="underline">
                First page
              </Link>
            ) : null}
            {page.nextCursor ? (
              <Link href={membersHref(org.name, { q: query, role: roleFilter, after: page.nextCursor })} className="underline">
                Next page
              </Link>
            ) : null}
          </span>
        </nav>
      </section>
    </div>
  );
}

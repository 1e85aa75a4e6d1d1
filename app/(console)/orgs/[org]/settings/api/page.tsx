import type { Metadata } from "next";

import { CreateTokenForm, DeleteTokenButton } from "@/components/resources/token-forms";
import { EmptyState } from "@/components/ui/empty-state";
import { List, ListRow } from "@/components/ui/list";
import { PermissionNote } from "@/components/ui/permission-note";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db";
import { listApiTokens, type TokenStatus } from "@/lib/api-tokens/api-tokens";
import { requireOrgAccess } from "@/lib/next/org-access";
import { can } from "@/lib/shared/roles";

export const metadata: Metadata = { title: "API tokens" };

const statusBadge: Record<TokenStatus, { label: string; className: string }> = {
  active: { label: "Active", className: "bg-green-50 text-green-800" },
  expired: { label: "Expired", className: "bg-zinc-100 text-zinc-700" },
  inactive: { label: "Inactive — its owner is no longer a member", className: "bg-amber-50 text-amber-900" },
};

export default async function ApiTokensPage({ params }: { params: Promise<{ org: string }> }) {
  const access = await requireOrgAccess((await params).org, "/settings/api");
  const { org, user, role } = access;
  const tokens = await listApiTokens(await getDb(), user.id, access);
  const canCreate = can(role, "tokens.create");
  // lib/ lets a token's owner delete it whatever their role, and owners and admins delete anyone's.
  const canDelete = (ownerId: string) => can(role, "tokens.manage") || ownerId === user.id;
  return (
    <div className="max-w-3xl space-y-6">
      {canCreate ? (
        <CreateTokenForm orgName={org.name} readOnly={!can(role, "resources.write")} />
      ) : (
        <PermissionNote permission="tokens.create" />
      )}
      {tokens.length === 0 ? (
        <EmptyState>No API tokens yet.</EmptyState>
      ) : (
        <List aria-label="API tokens">
          {tokens.map((token) => (
            <ListRow key={token.id} align="start" data-testid="token-row">
              <div className="min-w-0 flex-1 space-y-0.5">
                <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
                  {token.name}
                  <span
                    className={`rounded px-1.5 py-0.5 text-xs font-normal ${statusBadge[token.status].className}`}
                    data-testid="token-status"
                  >
                    {statusBadge[token.status].label}
                  </span>
                </p>
                {token.description ? <p className="text-sm text-zinc-600">{token.description}</p> : null}
                <p className="text-xs text-zinc-500">
                  <code>{token.hint}</code> · created by {token.createdByName} <RelativeTime date={token.createdAt} /> ·{" "}
                  {token.lastUsedAt ? <RelativeTime date={token.lastUsedAt} prefix="last used " /> : "never used"} ·{" "}
                  {token.expiresAt ? (
                    <RelativeTime date={token.expiresAt} prefix={token.status === "expired" ? "expired " : "expires "} />
                  ) : (
                    "never expires"
                  )}
                </p>
              </div>
              {canDelete(token.ownerId) ? <DeleteTokenButton orgName={org.name} tokenId={token.id} tokenName={token.name} /> : null}
            </ListRow>
          ))}
        </List>
      )}
    </div>
  );
}

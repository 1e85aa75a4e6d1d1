"use client";

import { deleteOrganizationAction, leaveOrganizationAction } from "@/actions/organizations";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { PermissionNote } from "@/components/ui/permission-note";
import { LAST_OWNER_MESSAGE } from "@/lib/shared/roles";

export function LeaveOrgButton({
  orgName,
  isLastMember,
  isLastOwner = false,
  compact = false,
  open,
  onOpenChange,
  returnFocus,
}: {
  orgName: string;
  isLastMember: boolean;
  /** The viewer is the only owner while others remain: they must hand over ownership first. */
  isLastOwner?: boolean;
  compact?: boolean;
  /** Opened by the caller (a button in server markup) instead of by its own trigger. */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  returnFocus?: HTMLElement | null;
}) {
  return (
    <ConfirmDialog
      trigger={open === undefined ? (compact ? "Leave" : "Leave organization") : undefined}
      open={open}
      onOpenChange={onOpenChange}
      returnFocus={returnFocus}
      triggerVariant={compact ? "secondary" : "danger"}
      triggerSize={compact ? "sm" : "md"}
      triggerLabel="Leave organization"
      title={`Leave ${orgName}?`}
      description="You will lose access to its apps, secrets and activity at once. Your API tokens in it stop working; they work again if you are invited back."
      typeToConfirm={orgName}
      fields={{ orgName }}
      confirmLabel="Leave organization"
      action={leaveOrganizationAction}
      blocked={
        isLastMember ? (
          <>
            You are the last member of <strong>{orgName}</strong>, so you cannot leave it: an organization always has at least one member.{" "}
            <a href={`/orgs/${orgName}/settings#danger-zone`} className="font-medium text-zinc-900 underline">
              Delete the organization
            </a>{" "}
            instead.
          </>
        ) : isLastOwner ? (
          <span className="block space-y-2" data-testid="last-owner-message">
            <span className="block">
              You are the only owner of <strong>{orgName}</strong>, so you cannot leave it yet.
            </span>
            <span className="block">{LAST_OWNER_MESSAGE}</span>
            <a href={`/orgs/${orgName}/members`} className="inline-block font-medium text-zinc-900 underline">
              Go to Members
            </a>
          </span>
        ) : undefined
      }
    />
  );
}

export function DangerZone({
  orgName,
  isLastMember,
  isLastOwner,
  canDelete,
}: {
  orgName: string;
  isLastMember: boolean;
  isLastOwner: boolean;
  /** The viewer's role has `org.delete` (owners). */
  canDelete: boolean;
}) {
  return (
    <div id="danger-zone" className="space-y-4">
      <h2 className="text-base font-semibold text-red-700">Danger zone</h2>
      <Card title="Leave this organization" description="You can be invited back later.">
        <LeaveOrgButton orgName={orgName} isLastMember={isLastMember} isLastOwner={isLastOwner} />
      </Card>
      <Card
        title="Delete this organization"
        description="Deletes the organization and everything it owns: members, invitations, activity, API tokens, apps and secrets. Every member is notified by e-mail. This cannot be undone."
      >
        {canDelete ? (
          <ConfirmDialog
            trigger="Delete organization"
            title={`Delete ${orgName}?`}
            description="Everything the organization owns is deleted at once, for every member. This cannot be undone."
            typeToConfirm={orgName}
            fields={{ orgName }}
            confirmLabel="Delete this organization"
            action={deleteOrganizationAction}
          />
        ) : (
          <PermissionNote permission="org.delete" />
        )}
      </Card>
    </div>
  );
}

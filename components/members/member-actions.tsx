"use client";

import { removeMemberAction } from "@/actions/members";
import { LeaveOrgButton } from "@/components/orgs/danger-zone";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

export function MemberRowActions(props: { orgName: string; userId: string; name: string; isSelf: boolean; isLastMember: boolean }) {
  if (props.isSelf) return <LeaveOrgButton orgName={props.orgName} isLastMember={props.isLastMember} compact />;
  return (
    <ConfirmDialog
      trigger="Remove"
      triggerVariant="secondary"
      triggerSize="sm"
      triggerLabel={`Remove ${props.name}`}
      title={`Remove ${props.name}?`}
      description={`${props.name} loses access to ${props.orgName} at once. Their API tokens in it stop working; they work again if ${props.name} is invited back.`}
      typeToConfirm={props.orgName}
      fields={{ orgName: props.orgName, userId: props.userId }}
      confirmLabel="Remove member"
      action={removeMemberAction}
    />
  );
}

"use client";

import Link from "next/link";
import { useState } from "react";

import { inviteMembersAction } from "@/actions/invitations";
import { SubmitButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormMessage, SelectField } from "@/components/ui/field";
import { PermissionNote } from "@/components/ui/permission-note";
import { useFormAction } from "@/components/use-form-action";
import type { InviteOutcome, InviteStatus } from "@/lib/shared/invitations";
import { assignableRoles, can, isRole, ROLE_DESCRIPTIONS, ROLE_LABELS, type Role } from "@/lib/shared/roles";

const statusStyle: Record<InviteStatus, string> = {
  invited: "text-green-700",
  already_member: "text-zinc-600",
  already_invited: "text-zinc-600",
  duplicate: "text-zinc-600",
  invalid: "text-red-700",
  no_seat: "text-red-700",
  rate_limited: "text-red-700",
};

/**
 * Inviting by e-mail, with the role the invitees get on joining. Only for
 * roles with `invitations.manage`; the others see who can invite instead.
 */
export function InviteForm(props: {
  orgName: string;
  /** The viewer's role: it decides whether the form is shown and which roles it offers. */
  viewerRole: Role;
  seatsFull: boolean;
  seatMessage?: string;
  /** The user's address is not verified yet: the page says so above, and the button waits. */
  verifyFirst?: boolean;
}) {
  if (!can(props.viewerRole, "invitations.manage")) return <PermissionNote permission="invitations.manage" />;
  return <InviteFormFields {...props} />;
}

function InviteFormFields({
  orgName,
  viewerRole,
  seatsFull,
  seatMessage,
  verifyFirst = false,
}: {
  orgName: string;
  viewerRole: Role;
  seatsFull: boolean;
  seatMessage?: string;
  verifyFirst?: boolean;
}) {
  const [state, formAction] = useFormAction(inviteMembersAction);
  // The chosen role outlives each submit (a batch with one bad address is sent again with the same role).
  const [role, setRole] = useState<Role>("member");
  const roles = assignableRoles(viewerRole);
  // A role the viewer may no longer give (they were demoted meanwhile) falls back to Member.
  const current = roles.includes(role) ? role : "member";
  const outcomes: InviteOutcome[] = state?.ok ? (state.data ?? []) : [];
  const failed = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} noValidate aria-label="Invite members">
      <Card
        title="Invite members"
        description="Enter one or more email addresses (up to 20), separated by commas, spaces or new lines. Each person gets an e-mail with a link to join."
        footer={
          <SubmitButton disabled={seatsFull || verifyFirst} pendingLabel="Inviting…">
            Invite
          </SubmitButton>
        }
      >
        <FormMessage error={failed?.formError ?? (seatsFull ? seatMessage : undefined)} />
        {seatsFull ? (
          <Link
            href={`/orgs/${orgName}/settings/plan`}
            className="inline-block text-sm font-medium text-zinc-900 underline underline-offset-2"
          >
            Compare plans
          </Link>
        ) : null}
        <input type="hidden" name="orgName" value={orgName} />
        <label htmlFor="invite-emails" className="sr-only">
          Email addresses
        </label>
        <textarea
          id="invite-emails"
          key={JSON.stringify(state)}
          name="emails"
          rows={3}
          disabled={seatsFull}
          defaultValue={state?.values?.emails ?? ""}
          placeholder="teammate@example.com, another@example.com"
          aria-invalid={Boolean(failed?.fieldErrors.emails) || undefined}
          aria-describedby={failed?.fieldErrors.emails ? "invite-emails-error" : undefined}
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-zinc-500 focus:ring-2 focus:ring-zinc-200 disabled:bg-zinc-100"
        />
        {failed?.fieldErrors.emails ? (
          <p id="invite-emails-error" className="text-sm text-red-600" data-testid="emails-error">
            {failed.fieldErrors.emails.join(" ")}
          </p>
        ) : null}
        <InviteRoleField
          // React resets the form after each submit: remounting puts the chosen role back in the select.
          key={JSON.stringify(state)}
          roles={roles}
          role={current}
          onChange={setRole}
          disabled={seatsFull}
          errors={failed?.fieldErrors.role}
        />
        {outcomes.length > 0 ? (
          <ul className="space-y-1 text-sm" aria-label="Invitation results" data-testid="invite-results">
            {outcomes.map((outcome, index) => (
              <li key={`${outcome.email}-${index}`} className="flex flex-wrap gap-x-2">
                <span className="font-medium break-all">{outcome.email}</span>
                <span className={statusStyle[outcome.status]}>{outcome.message}</span>
              </li>
            ))}
          </ul>
        ) : null}
      </Card>
    </form>
  );
}

/** The role the invitees get, with one line saying what it may do. */
function InviteRoleField({
  roles,
  role,
  onChange,
  disabled,
  errors,
}: {
  roles: Role[];
  role: Role;
  onChange: (role: Role) => void;
  disabled: boolean;
  errors?: string[];
}) {
  return (
    <div className="sm:max-w-xs">
      <SelectField
        id="invite-role"
        label="Role"
        name="role"
        defaultValue={role}
        onChange={(event) => {
          if (isRole(event.target.value)) onChange(event.target.value);
        }}
        disabled={disabled}
        errors={errors}
        hint={<span data-testid="invite-role-description">{ROLE_DESCRIPTIONS[role]}</span>}
        data-testid="invite-role"
      >
        {roles.map((option) => (
          <option key={option} value={option}>
            {ROLE_LABELS[option]}
          </option>
        ))}
      </SelectField>
    </div>
  );
}

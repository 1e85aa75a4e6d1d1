"use client";

import { startTransition, useId, useOptimistic, useRef, useState, type FormEvent, type KeyboardEvent } from "react";

import { changeMemberRoleAction, removeMemberAction } from "@/actions/members";
import { LeaveOrgButton } from "@/components/orgs/danger-zone";
import { buttonClass } from "@/components/ui/button-class";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useFormAction } from "@/components/use-form-action";
import { isRole, ROLE_LABELS, ROLES, type Role } from "@/lib/shared/roles";

/** Keys that move through a closed select's options: on most systems each one fires `change` at once. */
const BROWSING_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);

/**
 * A member's role as a select that saves on change (the result, or the
 * server's refusal such as the last owner's, is toasted). The options are the
 * roles the viewer may give, plus the member's current one.
 *
 * A mouse or touch choice saves at once. Stepping through the options with the
 * arrow keys (which fires `change` on each step in most browsers) only selects:
 * Enter or the Save button saves, Escape puts the current role back.
 */
export function MemberRoleSelect({
  orgName,
  userId,
  name,
  role,
  assignable,
}: {
  orgName: string;
  userId: string;
  name: string;
  role: Role;
  assignable: Role[];
}) {
  const id = useId();
  const [, dispatch, pending] = useFormAction(changeMemberRoleAction, { toastErrors: true });
  // The chosen role while the change is saved; the server's answer (the revalidated row) replaces it.
  const [saving, setSaving] = useOptimistic(role);
  const [draft, setDraft] = useState<Role | null>(null);
  const browsing = useRef(false);
  const options = ROLES.filter((option) => option === role || assignable.includes(option));
  const shown = draft ?? saving;

  // Submitted by hand rather than through the form's `action`: React resets a form after its
  // action, which would put the select back on the role it was first rendered with.
  const save = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formData = new FormData(event.currentTarget);
    const next = formData.get("role");
    startTransition(() => {
      setDraft(null);
      if (isRole(next)) setSaving(next);
      dispatch(formData);
    });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLSelectElement>) => {
    if (BROWSING_KEYS.has(event.key) || (event.key.length === 1 && event.key !== " ")) browsing.current = true;
    if (event.key === "Enter" && draft) {
      event.preventDefault();
      event.currentTarget.form?.requestSubmit();
    } else if (event.key === "Escape" && draft) {
      event.preventDefault();
      setDraft(null);
    }
  };

  return (
    <form onSubmit={save} className="flex min-w-0 flex-1 items-center gap-2" data-testid="member-role-form">
      <input type="hidden" name="orgName" value={orgName} />
      <input type="hidden" name="userId" value={userId} />
      <label htmlFor={id} className="sr-only">
        Role of {name}
      </label>
      <select
        id={id}
        name="role"
        value={shown}
        aria-busy={pending || undefined}
        aria-describedby={draft ? `${id}-unsaved` : undefined}
        data-testid="member-role-select"
        onKeyDown={onKeyDown}
        onKeyUp={() => {
          browsing.current = false;
        }}
        onBlur={() => {
          browsing.current = false;
        }}
        onChange={(event) => {
          const next = event.target.value;
          if (!isRole(next)) return;
          if (browsing.current) {
            setDraft(next === role ? null : next);
          } else {
            event.currentTarget.form?.requestSubmit();
          }
        }}
        className="w-full max-w-44 min-w-0 rounded-md border border-zinc-300 bg-white py-1.5 pr-8 pl-2.5 text-sm shadow-xs outline-none focus:border-zinc-500 focus:ring-2 focus:ring-zinc-200 aria-busy:text-zinc-500"
      >
        {options.map((option) => (
          <option key={option} value={option}>
            {ROLE_LABELS[option]}
          </option>
        ))}
      </select>
      {pending ? <span className="size-3.5 animate-spin rounded-full border-2 border-zinc-400 border-r-transparent" aria-hidden /> : null}
      {draft ? (
        <>
          <span id={`${id}-unsaved`} className="sr-only">
            Not saved yet: press Enter to save, Escape to cancel.
          </span>
          <button type="submit" className={buttonClass("primary", "", "sm")} aria-label={`Save ${name}'s role`}>
            Save
          </button>
        </>
      ) : null}
    </form>
  );
}

export function MemberRowActions(props: {
  orgName: string;
  userId: string;
  name: string;
  isSelf: boolean;
  isLastMember: boolean;
  /** The viewer is the only owner (their own row's Leave explains why not). */
  isLastOwner: boolean;
  /** The viewer may remove this member (members.remove, and owners.manage for an owner). */
  canRemove: boolean;
}) {
  if (props.isSelf)
    return <LeaveOrgButton orgName={props.orgName} isLastMember={props.isLastMember} isLastOwner={props.isLastOwner} compact />;
  if (!props.canRemove) return null;
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

"use client";

import {
  createContext,
  startTransition,
  useContext,
  useId,
  useMemo,
  useOptimistic,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
} from "react";

import { changeMemberRoleAction, removeMemberAction } from "@/actions/members";
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
export function MemberRoleSelect({ userId, name, role }: { userId: string; name: string; role: Role }) {
  const { orgName, assignable } = useContext(MemberListContext);
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
    formData.set("orgName", orgName);
    formData.set("userId", userId);
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
    <form onSubmit={save} className="member-role-form" data-testid="member-role-form">
      <select
        name="role"
        aria-label={`Role of ${name}`}
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
        className="member-role-select"
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

/** What every row's controls share, given once for the whole list instead of to each row. */
const MemberListContext = createContext<{ orgName: string; assignable: Role[] }>({ orgName: "", assignable: [] });

/**
 * The members list's actions: the rows stay server markup, and this one client
 * component holds what they share (the org, the roles the viewer may give) and
 * the one Remove dialog, opened by a row's Remove button (`data-remove-member`,
 * the member's user id, and `data-name`) through a delegated click.
 */
export function MemberListActions({ orgName, assignable, children }: { orgName: string; assignable: Role[]; children: ReactNode }) {
  const [target, setTarget] = useState<{ userId: string; name: string; button: HTMLElement } | null>(null);
  const [open, setOpen] = useState(false);
  const shared = useMemo(() => ({ orgName, assignable }), [orgName, assignable]);
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const button = (event.target as HTMLElement).closest<HTMLElement>("[data-remove-member]");
    if (!button) return;
    setTarget({ userId: button.dataset.removeMember!, name: button.dataset.name ?? "", button });
    setOpen(true);
  };
  return (
    <MemberListContext.Provider value={shared}>
      {/* Delegates the clicks of the rows' own Remove buttons (keyboard activation fires click too). */}
      <div onClick={onClick}>{children}</div>
      {target ? (
        <ConfirmDialog
          key={target.userId}
          open={open}
          onOpenChange={setOpen}
          returnFocus={target.button}
          title={`Remove ${target.name}?`}
          description={`${target.name} loses access to ${orgName} at once. Their API tokens in it stop working; they work again if ${target.name} is invited back.`}
          typeToConfirm={orgName}
          fields={{ orgName, userId: target.userId }}
          confirmLabel="Remove member"
          action={removeMemberAction}
        />
      ) : null}
    </MemberListContext.Provider>
  );
}

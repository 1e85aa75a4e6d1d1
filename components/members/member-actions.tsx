"use client";

import {
  useEffect,
  useEffectEvent,
  useRef,
  useState,
  type FocusEvent,
  type FormEvent,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type SyntheticEvent,
} from "react";
import { toast } from "sonner";

import { changeMemberRoleAction, removeMemberAction } from "@/actions/members";
import { LeaveOrgButton } from "@/components/orgs/danger-zone";
import { buttonClass } from "@/components/ui/button-class";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { isRole } from "@/lib/shared/roles";

/** Keys that move through a closed select's options: on most systems each one fires `change` at once. */
const BROWSING_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);

/** The role form (member-row-html.ts) an event of the list came from, with its select. */
function roleFormOf(event: SyntheticEvent | Event): { form: HTMLFormElement; select: HTMLSelectElement } | undefined {
  const form = (event.target as HTMLElement).closest<HTMLFormElement>("form[data-member]");
  const select = form?.querySelector<HTMLSelectElement>("select[name=role]");
  return form && select ? { form, select } : undefined;
}

/** Adds (once) or removes an element of a role form that only some moments need. */
function toggleExtra(form: HTMLFormElement, selector: string, wanted: boolean, create: () => HTMLElement) {
  const existing = form.querySelector(selector);
  if (wanted && !existing) form.append(create());
  if (!wanted) existing?.remove();
}

/** A keyboard user's unsaved choice: a Save button and a hint for screen readers, or neither. */
function showDraft({ form, select }: { form: HTMLFormElement; select: HTMLSelectElement }, draft: boolean) {
  const hintId = `${select.id}-unsaved`;
  toggleExtra(form, `#${CSS.escape(hintId)}`, draft, () =>
    Object.assign(document.createElement("span"), {
      id: hintId,
      className: "sr-only",
      textContent: "Not saved yet: press Enter to save, Escape to cancel.",
    }),
  );
  toggleExtra(form, "button[type=submit]", draft, () => {
    const button = Object.assign(document.createElement("button"), {
      type: "submit",
      className: buttonClass("primary", "", "sm"),
      textContent: "Save",
    });
    button.setAttribute("aria-label", `Save ${form.dataset.name}'s role`);
    return button;
  });
  if (draft) select.setAttribute("aria-describedby", hintId);
  else select.removeAttribute("aria-describedby");
}

/** While the change is saved: a spinner, and the select marked busy. */
function showBusy({ form, select }: { form: HTMLFormElement; select: HTMLSelectElement }, busy: boolean) {
  toggleExtra(form, "[data-busy]", busy, () => {
    const spinner = Object.assign(document.createElement("span"), {
      className: "size-3.5 animate-spin rounded-full border-2 border-zinc-400 border-r-transparent",
    });
    spinner.dataset.busy = "";
    spinner.setAttribute("aria-hidden", "true");
    return spinner;
  });
  if (busy) select.setAttribute("aria-busy", "true");
  else select.removeAttribute("aria-busy");
}

/**
 * The members list's actions. The rows are server markup (member-row-html.ts,
 * shipped once); this one client component around them handles their controls
 * through delegated events:
 * - a role select saves on change (the result, or the server's refusal such as
 *   the last owner's, is toasted). A mouse or touch choice saves at once. Stepping
 *   through the options with the arrow keys (which fires `change` on each step in
 *   most browsers) only selects: Enter or the Save button saves, Escape puts the
 *   saved role back;
 * - Remove (`data-remove-member`) and Leave (`data-leave-org`) open the list's one dialog of each.
 */
export function MemberListActions({
  orgName,
  isLastMember,
  isLastOwner,
  children,
}: {
  orgName: string;
  isLastMember: boolean;
  isLastOwner: boolean;
  children: ReactNode;
}) {
  const [removing, setRemoving] = useState<{ userId: string; name: string; button: HTMLElement } | null>(null);
  const [removeOpen, setRemoveOpen] = useState(false);
  const [leaving, setLeaving] = useState<HTMLElement | null>(null);
  // The select a key is moving through right now (between keydown and keyup).
  const [browsing] = useState(() => new WeakSet<HTMLSelectElement>());

  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const remove = target.closest<HTMLElement>("[data-remove-member]");
    if (remove) {
      setRemoving({ userId: remove.dataset.removeMember!, name: remove.dataset.name ?? "", button: remove });
      setRemoveOpen(true);
    }
    const leave = target.closest<HTMLElement>("[data-leave-org]");
    if (leave) setLeaving(leave);
  };

  const save = async (role: { form: HTMLFormElement; select: HTMLSelectElement }) => {
    const { form, select } = role;
    const saved = form.dataset.role!;
    const data = new FormData();
    data.set("orgName", orgName);
    data.set("userId", form.dataset.member!);
    data.set("role", select.value);
    showDraft(role, false);
    showBusy(role, true);
    let refusal: string | undefined;
    try {
      const result = await changeMemberRoleAction(null, data);
      if (result?.ok) {
        if (result.message) toast.success(result.message);
      } else {
        refusal =
          result?.formError ??
          Object.values(result?.fieldErrors ?? {})
            .flat()
            .join(" ");
      }
    } catch {
      refusal = "The role could not be changed. Try again.";
    }
    // The revalidated page brings the saved role in new markup; on a refusal this row keeps the old one.
    showBusy(role, false);
    if (refusal !== undefined) {
      select.value = saved;
      toast.error(refusal || "The role could not be changed.");
    }
  };

  const onSubmit = (event: FormEvent<HTMLDivElement>) => {
    const role = roleFormOf(event);
    if (!role) return;
    event.preventDefault();
    if (role.select.value !== role.form.dataset.role && isRole(role.select.value)) void save(role);
    else showDraft(role, false);
  };
  // A native listener: React's onChange does not see the change of a select it did not render.
  const onChange = useEffectEvent((event: Event) => {
    const role = roleFormOf(event);
    if (!role || event.target !== role.select) return;
    if (browsing.has(role.select)) showDraft(role, role.select.value !== role.form.dataset.role);
    else role.form.requestSubmit();
  });
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = list.current;
    node?.addEventListener("change", onChange);
    return () => node?.removeEventListener("change", onChange);
  }, []);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const role = roleFormOf(event);
    if (!role || event.target !== role.select) return;
    if (BROWSING_KEYS.has(event.key) || (event.key.length === 1 && event.key !== " ")) browsing.add(role.select);
    const draft = role.select.value !== role.form.dataset.role;
    if (event.key === "Enter" && draft) {
      event.preventDefault();
      role.form.requestSubmit();
    } else if (event.key === "Escape" && draft) {
      event.preventDefault();
      role.select.value = role.form.dataset.role!;
      showDraft(role, false);
    }
  };
  const stopBrowsing = (event: KeyboardEvent<HTMLDivElement> | FocusEvent<HTMLDivElement>) => {
    if (event.target instanceof HTMLSelectElement) browsing.delete(event.target);
  };

  return (
    <>
      {/* Delegates the rows' events (keyboard activation of a button fires click too). */}
      <div ref={list} onClick={onClick} onSubmit={onSubmit} onKeyDown={onKeyDown} onKeyUp={stopBrowsing} onBlur={stopBrowsing}>
        {children}
      </div>
      {removing ? (
        <ConfirmDialog
          key={removing.userId}
          open={removeOpen}
          onOpenChange={setRemoveOpen}
          returnFocus={removing.button}
          title={`Remove ${removing.name}?`}
          description={`${removing.name} loses access to ${orgName} at once. Their API tokens in it stop working; they work again if ${removing.name} is invited back.`}
          typeToConfirm={orgName}
          fields={{ orgName, userId: removing.userId }}
          confirmLabel="Remove member"
          action={removeMemberAction}
        />
      ) : null}
      {leaving ? (
        <LeaveOrgButton
          orgName={orgName}
          isLastMember={isLastMember}
          isLastOwner={isLastOwner}
          open
          onOpenChange={(open) => (open ? undefined : setLeaving(null))}
          returnFocus={leaving}
        />
      ) : null}
    </>
  );
}

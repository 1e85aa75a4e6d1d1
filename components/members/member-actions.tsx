"use client";

import {
  useEffect,
  useEffectEvent,
  useRef,
  useState,
  type FocusEvent,
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

/** A member's row (member-row-html.ts): `data-key` is their user id, `data-role` their saved role. */
interface RoleControl {
  row: HTMLElement;
  select: HTMLSelectElement;
}

function roleControlOf(event: SyntheticEvent | Event): RoleControl | undefined {
  const select = event.target instanceof HTMLSelectElement && event.target.name === "role" ? event.target : undefined;
  const row = select?.closest<HTMLElement>("li[data-key]");
  return row && select ? { row, select } : undefined;
}

/** The member's name as the row shows it (its first text, before "You"). */
function nameOf(row: HTMLElement): string {
  return row.querySelector(".member-who p")?.firstChild?.textContent ?? "";
}

/** Adds (once) or removes an element next to the select that only some moments need. */
function toggleExtra(select: HTMLSelectElement, selector: string, wanted: boolean, create: () => HTMLElement) {
  const place = select.parentElement!;
  const existing = place.querySelector(selector);
  if (wanted && !existing) place.append(create());
  if (!wanted) existing?.remove();
}

/** A keyboard user's unsaved choice: a Save button and a hint for screen readers, or neither. */
function showDraft({ row, select }: RoleControl, draft: boolean) {
  const hintId = `unsaved-${row.dataset.key}`;
  toggleExtra(select, "[data-unsaved]", draft, () => {
    const hint = Object.assign(document.createElement("span"), {
      id: hintId,
      className: "sr-only",
      textContent: "Not saved yet: press Enter to save, Escape to cancel.",
    });
    hint.dataset.unsaved = "";
    return hint;
  });
  toggleExtra(select, "[data-save]", draft, () => {
    const button = Object.assign(document.createElement("button"), {
      type: "button",
      className: buttonClass("primary", "", "sm"),
      textContent: "Save",
    });
    button.dataset.save = "";
    button.setAttribute("aria-label", `Save ${nameOf(row)}'s role`);
    return button;
  });
  if (draft) select.setAttribute("aria-describedby", hintId);
  else select.removeAttribute("aria-describedby");
}

/** While the change is saved: a spinner, and the select marked busy. */
function showBusy({ select }: RoleControl, busy: boolean) {
  toggleExtra(select, "[data-busy]", busy, () => {
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
 * - Remove (`data-remove`) and Leave (`data-leave`) open the list's one dialog of each.
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

  const save = async (control: RoleControl) => {
    const { row, select } = control;
    const saved = row.dataset.role!;
    const data = new FormData();
    data.set("orgName", orgName);
    data.set("userId", row.dataset.key!);
    data.set("role", select.value);
    showDraft(control, false);
    showBusy(control, true);
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
    showBusy(control, false);
    if (refusal !== undefined) {
      select.value = saved;
      toast.error(refusal || "The role could not be changed.");
    }
  };
  const saveIfChanged = (control: RoleControl) => {
    if (control.select.value !== control.row.dataset.role && isRole(control.select.value)) void save(control);
    else showDraft(control, false);
  };

  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const button = (event.target as HTMLElement).closest<HTMLElement>("button[data-remove], button[data-leave], button[data-save]");
    const row = button?.closest<HTMLElement>("li[data-key]");
    if (!button || !row) return;
    if (button.dataset.save !== undefined) {
      const select = row.querySelector<HTMLSelectElement>("select[name=role]");
      if (select) saveIfChanged({ row, select });
    } else if (button.dataset.remove !== undefined) {
      setRemoving({ userId: row.dataset.key!, name: nameOf(row), button });
      setRemoveOpen(true);
    } else {
      setLeaving(button);
    }
  };

  // A native listener: React's onChange does not see the change of a select it did not render.
  const onChange = useEffectEvent((event: Event) => {
    const control = roleControlOf(event);
    if (!control) return;
    if (browsing.has(control.select)) showDraft(control, control.select.value !== control.row.dataset.role);
    else saveIfChanged(control);
  });
  const list = useRef<HTMLDivElement>(null);
  // A choice made while the page was still hydrating, before the listener existed: saved now.
  // (The selects have autocomplete="off", so a value the browser restored is never taken for one.)
  const saveEarlyChoices = useEffectEvent((node: HTMLElement) => {
    for (const select of node.querySelectorAll<HTMLSelectElement>("select[name=role]")) {
      const row = select.closest<HTMLElement>("li[data-key]");
      if (row && select.value !== row.dataset.role) saveIfChanged({ row, select });
    }
  });
  useEffect(() => {
    const node = list.current;
    if (!node) return;
    node.addEventListener("change", onChange);
    saveEarlyChoices(node);
    return () => node.removeEventListener("change", onChange);
  }, []);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const control = roleControlOf(event);
    if (!control) return;
    if (BROWSING_KEYS.has(event.key) || (event.key.length === 1 && event.key !== " ")) browsing.add(control.select);
    const draft = control.select.value !== control.row.dataset.role;
    if (event.key === "Enter" && draft) {
      event.preventDefault();
      saveIfChanged(control);
    } else if (event.key === "Escape" && draft) {
      event.preventDefault();
      control.select.value = control.row.dataset.role!;
      showDraft(control, false);
    }
  };
  const stopBrowsing = (event: KeyboardEvent<HTMLDivElement> | FocusEvent<HTMLDivElement>) => {
    if (event.target instanceof HTMLSelectElement) browsing.delete(event.target);
  };

  return (
    <>
      {/* Delegates the rows' events (keyboard activation of a button fires click too). */}
      <div ref={list} onClick={onClick} onKeyDown={onKeyDown} onKeyUp={stopBrowsing} onBlur={stopBrowsing}>
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

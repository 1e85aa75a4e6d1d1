"use client";

import { Dialog } from "radix-ui";
import { useState, type ReactNode } from "react";

import { SubmitButton } from "@/components/ui/button";
import { buttonClass, type Size, type Variant } from "@/components/ui/button-class";
import { FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";
import type { FormState } from "@/lib/shared/form-state";

/**
 * A destructive action behind a dialog. With `typeToConfirm`, the user types
 * that text (the organization's name) and the confirm button stays disabled
 * until it matches; the server checks the typed text again.
 */
export function ConfirmDialog({
  trigger,
  open: openProp,
  onOpenChange,
  returnFocus,
  triggerVariant = "danger",
  triggerSize = "md",
  triggerClassName = "",
  triggerLabel,
  title,
  description,
  typeToConfirm,
  confirmLabel,
  action,
  fields,
  blocked,
}: {
  /** The button that opens the dialog; without it, the caller opens it (`open`, `onOpenChange`). */
  trigger?: string;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  /** Without a trigger: where focus goes back when the dialog closes (the row's button that opened it). */
  returnFocus?: HTMLElement | null;
  triggerVariant?: Variant;
  /** `sm` for row actions. */
  triggerSize?: Size;
  triggerClassName?: string;
  /** An accessible name for the trigger when its text alone is ambiguous (row actions). */
  triggerLabel?: string;
  title: string;
  description: ReactNode;
  typeToConfirm?: string;
  confirmLabel: string;
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  /** Hidden fields sent with the confirmation. */
  fields: Record<string, string>;
  /** When set, the dialog explains why the action is not possible instead of offering it. */
  blocked?: ReactNode;
}) {
  const [openState, setOpenState] = useState(false);
  const open = openProp ?? openState;
  const setOpen = (next: boolean) => {
    setOpenState(next);
    onOpenChange?.(next);
  };
  const [typed, setTyped] = useState("");
  const [state, formAction] = useFormAction(action, { onSuccess: () => setOpen(false) });
  const error = state && !state.ok ? (state.formError ?? Object.values(state.fieldErrors).flat().join(" ")) : undefined;
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setTyped("");
      }}
    >
      {trigger ? (
        <Dialog.Trigger className={buttonClass(triggerVariant, triggerClassName, triggerSize)} aria-label={triggerLabel}>
          {trigger}
        </Dialog.Trigger>
      ) : null}
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-black/40" />
        <Dialog.Content
          onCloseAutoFocus={(event) => {
            if (!returnFocus?.isConnected) return;
            event.preventDefault();
            returnFocus.focus();
          }}
          className="fixed top-1/2 left-1/2 z-50 w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl"
        >
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="mt-2 text-sm text-zinc-600">{blocked ?? description}</div>
          </Dialog.Description>
          {blocked ? (
            <div className="mt-6 flex justify-end">
              <Dialog.Close className={buttonClass("secondary")}>Close</Dialog.Close>
            </div>
          ) : (
            <form action={formAction} className="mt-4 space-y-4">
              <FormMessage error={error} />
              {Object.entries(fields).map(([name, value]) => (
                <input key={name} type="hidden" name={name} value={value} />
              ))}
              {typeToConfirm ? (
                <div className="space-y-1.5">
                  <label htmlFor="confirm-name" className="block text-sm text-zinc-700">
                    Type <strong className="font-mono text-zinc-900">{typeToConfirm}</strong> to confirm.
                  </label>
                  <input
                    id="confirm-name"
                    name="confirmation"
                    value={typed}
                    onChange={(event) => setTyped(event.target.value)}
                    autoComplete="off"
                    autoCapitalize="none"
                    spellCheck={false}
                    className="block w-full rounded-md border border-zinc-300 px-3 py-2 font-mono text-sm outline-none focus:border-zinc-500 focus:ring-2 focus:ring-zinc-200"
                  />
                </div>
              ) : null}
              <div className="flex flex-wrap justify-end gap-3">
                <Dialog.Close className={buttonClass("secondary")}>Cancel</Dialog.Close>
                <SubmitButton variant="danger" disabled={typeToConfirm !== undefined && typed !== typeToConfirm} pendingLabel="Working…">
                  {confirmLabel}
                </SubmitButton>
              </div>
            </form>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

"use client";

import { Dialog } from "radix-ui";
import { useActionState, useState, type ReactNode } from "react";
import { buttonClass } from "@/components/ui/button-class";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { useFormOutcome } from "@/components/use-form-outcome";
import type { FormState } from "@/lib/form";

/**
 * A destructive action behind a dialog where the user types the organization's
 * name: the confirm button stays disabled until it matches. The server checks
 * the typed name again.
 */
export function ConfirmWithNameDialog({
  trigger,
  title,
  description,
  orgName,
  confirmLabel,
  action,
  blocked,
}: {
  trigger: string;
  title: string;
  description: ReactNode;
  orgName: string;
  confirmLabel: string;
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  /** When set, the dialog explains why the action is not possible instead of offering it. */
  blocked?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [state, formAction] = useActionState(action, null);
  useFormOutcome(state);
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setTyped("");
      }}
    >
      <Dialog.Trigger className={buttonClass("danger")}>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-black/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl">
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
              <FormMessage error={state && !state.ok ? state.formError ?? state.fieldErrors.confirmation?.join(" ") : undefined} />
              <input type="hidden" name="orgName" value={orgName} />
              <div className="space-y-1.5">
                <label htmlFor="confirm-name" className="block text-sm text-zinc-700">
                  Type <strong className="font-mono text-zinc-900">{orgName}</strong> to confirm.
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
              <div className="flex flex-wrap justify-end gap-3">
                <Dialog.Close className={buttonClass("secondary")}>Cancel</Dialog.Close>
                <SubmitButton variant="danger" disabled={typed !== orgName} pendingLabel="Working…">
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

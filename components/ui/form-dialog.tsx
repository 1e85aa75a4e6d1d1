"use client";

import { Dialog } from "radix-ui";
import { useState, type ReactNode } from "react";

import { SubmitButton } from "@/components/ui/button";
import { buttonClass, type Variant } from "@/components/ui/button-class";
import { FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";
import type { FormState } from "@/lib/shared/form-state";

/** A small form in a dialog (rename, edit a value): closes on success, keeps errors in view. */
export function FormDialog({
  trigger,
  triggerLabel,
  triggerVariant = "secondary",
  title,
  description,
  submitLabel,
  action,
  fields,
  children,
}: {
  trigger: string;
  triggerLabel?: string;
  triggerVariant?: Variant;
  title: string;
  description?: ReactNode;
  submitLabel: string;
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  children: (errors: Record<string, string[]>) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [state, formAction] = useFormAction(action, { onSuccess: () => setOpen(false) });
  const failed = state && !state.ok ? state : undefined;
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger className={buttonClass(triggerVariant, "", "sm")} aria-label={triggerLabel}>
        {trigger}
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-black/40" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl">
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          {description ? (
            <Dialog.Description className="mt-1 text-sm text-zinc-600">{description}</Dialog.Description>
          ) : (
            <Dialog.Description />
          )}
          <form action={formAction} className="mt-4 space-y-4" noValidate>
            <FormMessage error={failed?.formError} />
            {Object.entries(fields).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            {children(failed?.fieldErrors ?? {})}
            <div className="flex justify-end gap-3">
              <Dialog.Close className={buttonClass("secondary")}>Cancel</Dialog.Close>
              <SubmitButton pendingLabel="Saving…">{submitLabel}</SubmitButton>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

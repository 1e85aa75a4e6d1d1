"use client";

import { CreditCard } from "lucide-react";

import { removePaymentMethodAction, replacePaymentMethodAction } from "@/actions/billing";
import { SubmitButton } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useFormAction } from "@/components/use-form-action";

export interface PaymentMethodView {
  label: string;
  expiry: string;
}

/** The card on file with Replace and Remove; removing is refused while a paid plan needs it. */
export function PaymentMethodPanel({
  orgName,
  method,
  removeRefusal,
  canAdd,
}: {
  orgName: string;
  method: PaymentMethodView | null;
  /** Why Remove is refused now (a paid plan needs the card), from lib. */
  removeRefusal: string | undefined;
  /** Billing information is on file (needed before a card). */
  canAdd: boolean;
}) {
  const [, formAction] = useFormAction(replacePaymentMethodAction, { toastErrors: true });
  return (
    <div className="space-y-4">
      {method ? (
        <div className="flex items-center gap-3 rounded-md border border-zinc-200 px-4 py-3" data-testid="payment-method">
          <CreditCard className="size-5 text-zinc-500" aria-hidden />
          <div>
            <p className="text-sm font-medium text-zinc-900">{method.label}</p>
            <p className="text-xs text-zinc-500">Expires {method.expiry}</p>
          </div>
        </div>
      ) : (
        <p className="text-sm text-zinc-600" data-testid="no-payment-method">
          No payment method yet.{canAdd ? "" : " Save the billing information first."}
        </p>
      )}
      <div className="flex flex-wrap gap-3">
        <form action={formAction}>
          <input type="hidden" name="orgName" value={orgName} />
          <SubmitButton variant={method ? "secondary" : "primary"} disabled={!canAdd} pendingLabel="Opening payment…">
            {method ? "Replace" : "Add a payment method"}
          </SubmitButton>
        </form>
        {method ? (
          <ConfirmDialog
            trigger="Remove"
            triggerVariant="secondary"
            title="Remove the payment method?"
            description={`${method.label} will no longer be on file for ${orgName}.`}
            blocked={removeRefusal}
            confirmLabel="Remove payment method"
            action={removePaymentMethodAction}
            fields={{ orgName }}
          />
        ) : null}
      </div>
    </div>
  );
}

"use client";

import { useState } from "react";

import { payTestCheckoutAction } from "@/actions/checkout";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";

/** "4242424242424242" → "4242 4242 4242 4242", as card forms show it while typing. */
function groupCardNumber(value: string): string {
  return value
    .replace(/\D/g, "")
    .slice(0, 19)
    .replace(/(\d{4})(?=\d)/g, "$1 ");
}

/** "1234" → "12 / 34". */
function formatExpiry(value: string): string {
  const digits = value.replace(/\D/g, "").slice(0, 4);
  return digits.length > 2 ? `${digits.slice(0, 2)} / ${digits.slice(2)}` : digits;
}

/**
 * Card number, expiry and CVC, checked on the server as a provider would. The
 * fields are held in this component's state, so a decline keeps what was typed
 * without the server ever echoing a card number back.
 */
export function TestCheckoutForm({ checkoutId, submitLabel }: { checkoutId: string; submitLabel: string }) {
  const [state, formAction] = useFormAction(payTestCheckoutAction);
  const [card, setCard] = useState({ number: "", expiry: "", cvc: "" });
  const failed = state && !state.ok ? state : undefined;
  const errors = failed?.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-4" noValidate>
      <input type="hidden" name="checkoutId" value={checkoutId} />
      <FormMessage error={failed?.formError} />
      <Field
        label="Card number"
        name="cardNumber"
        inputMode="numeric"
        autoComplete="cc-number"
        placeholder="1234 1234 1234 1234"
        value={card.number}
        onChange={(event) => setCard({ ...card, number: groupCardNumber(event.target.value) })}
        errors={errors.cardNumber}
      />
      <div className="grid grid-cols-2 gap-4">
        <Field
          label="Expiry"
          name="cardExpiry"
          inputMode="numeric"
          autoComplete="cc-exp"
          placeholder="MM / YY"
          value={card.expiry}
          onChange={(event) => setCard({ ...card, expiry: formatExpiry(event.target.value) })}
          errors={errors.cardExpiry}
        />
        <Field
          label="CVC"
          name="cardCvc"
          inputMode="numeric"
          autoComplete="cc-csc"
          placeholder="123"
          value={card.cvc}
          onChange={(event) => setCard({ ...card, cvc: event.target.value.replace(/\D/g, "").slice(0, 4) })}
          errors={errors.cardCvc}
        />
      </div>
      <SubmitButton className="w-full" pendingLabel="Processing…">
        {submitLabel}
      </SubmitButton>
      <details className="rounded-md bg-zinc-50 px-3 py-2 text-xs text-zinc-600">
        <summary className="cursor-pointer font-medium text-zinc-700">Test cards</summary>
        <ul className="mt-2 space-y-1 font-mono">
          <li>4242 4242 4242 4242 · succeeds</li>
          <li>4000 0000 0000 0002 · declined</li>
          <li>4000 0000 0000 9995 · insufficient funds</li>
        </ul>
        <p className="mt-2">Any future expiry and any 3 digits for the CVC.</p>
      </details>
    </form>
  );
}

"use client";

import { payTestCheckoutAction } from "@/app/checkout/actions";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";

/** Card number, expiry and CVC, checked on the server as a provider would; the test cards are listed below. */
export function TestCheckoutForm({ checkoutId, submitLabel }: { checkoutId: string; submitLabel: string }) {
  const [state, formAction] = useFormAction(payTestCheckoutAction);
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
        maxLength={23}
        errors={errors.cardNumber}
      />
      <div className="grid grid-cols-2 gap-4">
        <Field label="Expiry" name="cardExpiry" inputMode="numeric" autoComplete="cc-exp" placeholder="MM / YY" maxLength={7} errors={errors.cardExpiry} />
        <Field label="CVC" name="cardCvc" inputMode="numeric" autoComplete="cc-csc" placeholder="123" maxLength={4} errors={errors.cardCvc} />
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

"use server";

import { payTestCheckout } from "@/lib/billing/test-checkout";
import { formAction } from "@/lib/next/action";
import type { FormState } from "@/lib/shared/form-state";

/** The test payment page's submit. The card fields are never echoed back or logged (lib/next/form.ts leaves them out). */
export async function payTestCheckoutAction(_previous: FormState, form: FormData): Promise<FormState> {
  return formAction(form, {}, async ({ db, actor, field }) => {
    const { returnPath, message } = await payTestCheckout(db, actor, {
      checkoutId: field("checkoutId"),
      cardNumber: field("cardNumber"),
      cardExpiry: field("cardExpiry"),
      cardCvc: field("cardCvc"),
    });
    return { ok: true, message, redirectTo: returnPath };
  });
}

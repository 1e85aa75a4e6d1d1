"use server";

import { getDb } from "@/db";
import { currentActor, requireUser } from "@/lib/next/session";
import { payTestCheckout } from "@/lib/billing/test-checkout";
import { handleForm, type FormState } from "@/lib/next/form";

/** The test payment page's submit. The card fields are never echoed back or logged (lib/form.ts leaves them out). */
export async function payTestCheckoutAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser();
  return handleForm(formData, async () => {
    const { returnPath, message } = await payTestCheckout(await getDb(), await currentActor(user), {
      checkoutId: formData.get("checkoutId"),
      cardNumber: formData.get("cardNumber"),
      cardExpiry: formData.get("cardExpiry"),
      cardCvc: formData.get("cardCvc"),
    });
    return { ok: true, message, redirectTo: returnPath };
  });
}

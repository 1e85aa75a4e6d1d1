"use client";

import { useRouter } from "next/navigation";
import { useActionState } from "react";
import { toast } from "sonner";

import { FORM_TOO_LARGE_MESSAGE, formValues, type FormState } from "@/lib/shared/form-state";

type FormAction<Data> = (state: FormState<Data>, formData: FormData) => Promise<FormState<Data>>;

/**
 * useActionState for a form action, plus what follows success: toast its
 * message and go where it says. Handled as the result arrives, not in an effect,
 * because the revalidated page may no longer contain this form (a removed row).
 *
 * Actions that move the user elsewhere return `redirectTo` instead of
 * revalidating: a revalidated page that redirects (a renamed or deleted org)
 * would swallow the result. The refresh after the push re-reads the layout.
 */
export function useFormAction<Data = undefined>(action: FormAction<Data>, options: { onSuccess?: () => void; toastErrors?: boolean } = {}) {
  const router = useRouter();
  return useActionState<FormState<Data>, FormData>(async (previous, formData) => {
    let result: FormState<Data>;
    try {
      result = await action(previous, formData);
    } catch (error) {
      // The server refused the body as too large (413, from proxy.ts): say so in the form, not on an error page.
      if (!(error instanceof Error) || error.message !== FORM_TOO_LARGE_MESSAGE) throw error;
      result = { ok: false, formError: FORM_TOO_LARGE_MESSAGE, fieldErrors: {}, values: formValues(formData) };
    }
    if (result?.ok) {
      options.onSuccess?.();
      if (result.message) toast.success(result.message);
      if (result.redirectTo && /^https?:\/\//.test(result.redirectTo)) {
        // Another site (a payment provider's checkout): a full page load.
        window.location.assign(result.redirectTo);
      } else if (result.redirectTo) {
        router.push(result.redirectTo);
        router.refresh();
      }
    } else if (result && options.toastErrors && result.formError) {
      toast.error(result.formError);
    }
    return result;
  }, null);
}

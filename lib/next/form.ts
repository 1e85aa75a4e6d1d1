import "server-only";

import { isAppError } from "@/lib/core/errors";
import { formValues, type FormState } from "@/lib/shared/form-state";

export type { FormState };

/**
 * Runs a form's work and turns an expected failure (AppError) into the form's
 * error state. Anything else, including Next's redirect signal, is re-thrown.
 */
export async function handleForm<Data = undefined>(
  formData: FormData,
  work: () => Promise<FormState<Data> | void>,
): Promise<FormState<Data>> {
  try {
    return (await work()) ?? { ok: true };
  } catch (error) {
    if (!isAppError(error)) throw error;
    const hasFieldErrors = Object.keys(error.fieldErrors).length > 0;
    return {
      ok: false,
      formError: hasFieldErrors ? undefined : error.message,
      fieldErrors: error.fieldErrors,
      values: formValues(formData),
    };
  }
}

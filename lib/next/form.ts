import "server-only";

import { isAppError } from "@/lib/core/errors";
import type { FormState } from "@/lib/shared/form-state";

export type { FormState };

// Never echoed back: passwords, tokens, and card numbers and codes (which must not leave the request).
const SECRET_FIELD = /password|token|secret|card|cvc/i;

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$") && !SECRET_FIELD.test(key)) values[key] = value.slice(0, 2000);
  }
  return values;
}

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

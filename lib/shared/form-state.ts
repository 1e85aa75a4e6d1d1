/**
 * The one result shape every form action returns, read with useActionState.
 * `values` echoes what was typed (never passwords) because React 19 resets a
 * form after its action runs.
 */
export type FormState<Data = undefined> =
  /** `message` is toasted; `redirectTo` is where the client goes next (after the toast is queued). */
  | { ok: true; message?: string; values?: Record<string, string>; redirectTo?: string; data?: Data }
  | { ok: false; formError?: string; fieldErrors: Record<string, string[]>; values: Record<string, string> }
  | null;

/** Server actions take bodies up to 1 MB (next.config.ts serverActions.bodySizeLimit "1mb"). */
export const FORM_BODY_LIMIT_BYTES = 1024 * 1024;
/** What a form says when it was too large to send: proxy.ts answers 413 with it, the client shows it. */
export const FORM_TOO_LARGE_MESSAGE = "This form is too large to send (over 1 MB). Shorten what you entered and try again.";

// Never echoed back: passwords, tokens, and card numbers and codes (which must not leave the request).
const SECRET_FIELD = /password|token|secret|card|cvc/i;

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !key.startsWith("$") && !SECRET_FIELD.test(key)) values[key] = value.slice(0, 2000);
  }
  return values;
}

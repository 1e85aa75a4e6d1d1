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

import type { InputHTMLAttributes, ReactNode } from "react";

/** A labelled input with its hint and its errors, wired for screen readers. */
export function Field({
  label,
  name,
  errors,
  hint,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; errors?: string[]; hint?: ReactNode }) {
  const id = input.id ?? `field-${name}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const invalid = Boolean(errors?.length);
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800">
        {label}
      </label>
      <input
        id={id}
        name={name}
        aria-invalid={invalid || undefined}
        aria-describedby={[invalid ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined}
        className={`block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-xs outline-none focus:ring-2 read-only:bg-zinc-100 read-only:text-zinc-600 ${
          invalid ? "border-red-500 focus:ring-red-200" : "border-zinc-300 focus:border-zinc-500 focus:ring-zinc-200"
        }`}
        {...input}
      />
      {hint ? (
        <p id={hintId} className="text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <p id={errorId} className="text-sm text-red-600" data-testid={`${name}-error`}>
          {errors!.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** The form-level message: an error, or a success note. */
export function FormMessage({ error, success }: { error?: string; success?: string }) {
  if (error) {
    return (
      <div role="alert" aria-label="Form error" data-testid="form-error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
        {error}
      </div>
    );
  }
  if (success) {
    return (
      <div role="status" data-testid="form-success" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">
        {success}
      </div>
    );
  }
  return null;
}

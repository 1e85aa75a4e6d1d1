import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

/** What every field takes besides its control's own attributes. */
interface FieldProps {
  label: ReactNode;
  name: string;
  errors?: string[];
  hint?: ReactNode;
}

/** The bordered look of inputs and selects, red while invalid. */
function controlClass(invalid: boolean, extra = "") {
  return `block w-full rounded-md border bg-white px-3 py-2 text-sm shadow-xs outline-none focus:ring-2 ${extra}${
    invalid ? "border-red-500 focus:ring-red-200" : "border-zinc-300 focus:border-zinc-500 focus:ring-zinc-200"
  }`;
}

/** The wrapper, label, hint and errors around one control; `control` gets the ids and ARIA that tie them to it. */
function FieldFrame({
  id,
  name,
  label,
  errors,
  hint,
  control,
}: FieldProps & { id: string; control: (aria: { "aria-invalid"?: true; "aria-describedby"?: string }, invalid: boolean) => ReactNode }) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const invalid = Boolean(errors?.length);
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800">
        {label}
      </label>
      {control(
        {
          "aria-invalid": invalid || undefined,
          "aria-describedby": [invalid ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined,
        },
        invalid,
      )}
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

/**
 * A labelled input with its hint and its errors, wired for screen readers.
 * As on every field here, a `className` replaces the control's default classes.
 */
export function Field({ label, name, errors, hint, ...input }: InputHTMLAttributes<HTMLInputElement> & FieldProps) {
  const id = input.id ?? `field-${name}`;
  return (
    <FieldFrame
      id={id}
      name={name}
      label={label}
      errors={errors}
      hint={hint}
      control={(aria, invalid) => (
        <input
          id={id}
          name={name}
          {...aria}
          className={controlClass(invalid, "read-only:bg-zinc-100 read-only:text-zinc-600")}
          {...input}
        />
      )}
    />
  );
}

/** A labelled textarea, wired like `Field`. */
export function TextareaField({ label, name, errors, hint, ...textarea }: TextareaHTMLAttributes<HTMLTextAreaElement> & FieldProps) {
  const id = textarea.id ?? `field-${name}`;
  return (
    <FieldFrame
      id={id}
      name={name}
      label={label}
      errors={errors}
      hint={hint}
      control={(aria) => (
        <textarea
          id={id}
          name={name}
          {...aria}
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-zinc-500 focus:ring-2 focus:ring-zinc-200"
          {...textarea}
        />
      )}
    />
  );
}

/** A labelled select, wired and styled like `Field`; the options are its children. */
export function SelectField({ label, name, errors, hint, ...select }: SelectHTMLAttributes<HTMLSelectElement> & FieldProps) {
  const id = select.id ?? `field-${name}`;
  return (
    <FieldFrame
      id={id}
      name={name}
      label={label}
      errors={errors}
      hint={hint}
      control={(aria, invalid) => <select id={id} name={name} {...aria} className={controlClass(invalid)} {...select} />}
    />
  );
}

/** The form-level message: an error, or a success note. */
export function FormMessage({ error, success }: { error?: string; success?: string }) {
  if (error) {
    return (
      <div
        role="alert"
        aria-label="Form error"
        data-testid="form-error"
        className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
      >
        {error}
      </div>
    );
  }
  if (success) {
    return (
      <div
        role="status"
        data-testid="form-success"
        className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800"
      >
        {success}
      </div>
    );
  }
  return null;
}

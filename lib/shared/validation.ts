import { z } from "zod";

/**
 * The validators shared by forms (client-side hints) and the server (the rule).
 * Messages are written for the person filling the form.
 */

export const PASSWORD_MIN = 8;
// Long passphrases are welcome (docs/security.md asks for at least 64); the cap only
// bounds hashing work and is far above anything a person types.
export const PASSWORD_MAX = 256;

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "An email address has at most 254 characters.")
  .refine((value) => !/[\r\n]/.test(value), "An email address cannot contain line breaks.")
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com." }))
  .transform((value) => value.toLowerCase());

// Control characters (C0, C1), format characters (Cf: bidi overrides and isolates,
// zero-width spaces and joiners, soft hyphens, tags), line and paragraph separators
// and lone surrogates: a name is shown in e-mails, pages and the activity log, where
// these hide or reorder text ("Ada\u202Egnp.exe" shows as "Adaexe.png").
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** The one display-name rule: sign-up, invitation sign-up and the profile. Stored in NFKC. */
export const nameSchema = z
  .string({ error: "Enter your name." })
  // NFKC first, so the checks and the stored name see the same characters
  // (full-width letters and ligatures become plain ones).
  .transform((value) => value.normalize("NFKC").trim())
  .pipe(
    z
      .string()
      .min(1, "Enter your name.")
      .max(100, "A name has at most 100 characters.")
      .refine((value) => !INVISIBLE_OR_CONTROL.test(value), "A name cannot contain control or invisible formatting characters."),
  );

/** Shape only; whether it is a common password is checked on the server (lib/auth/passwords.ts). */
export const newPasswordSchema = z
  .string({ error: "Enter a password." })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `A password has at most ${PASSWORD_MAX} characters.`);

export const signUpSchema = z.object({ name: nameSchema, email: emailSchema, password: newPasswordSchema });
export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX, "Invalid email or password."),
});
export const forgotPasswordSchema = z.object({ email: emailSchema });
export const resetPasswordSchema = z.object({
  token: z.string().min(1).max(200),
  password: newPasswordSchema,
  // The form's checkbox, on by default: whoever knew the old password may also have made tokens.
  revokeApiTokens: z.boolean().default(true),
});
export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(PASSWORD_MAX),
  newPassword: newPasswordSchema,
});
export const changeNameSchema = z.object({ name: nameSchema });

/** Field errors keyed by field name, the shape every form reads. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

import { z } from "zod";

import { emailSchema, PASSWORD_MAX } from "./validation";

const currentPasswordSchema = z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(PASSWORD_MAX);

/** The change-e-mail form (account profile page); the server parses with the same schema. */
export const changeEmailSchema = z.object({ newEmail: emailSchema, currentPassword: currentPasswordSchema });

/** The delete-account form (security page, danger zone). */
export const deleteAccountSchema = z.object({
  currentPassword: currentPasswordSchema,
  // Filled by the two-factor part (issue 17, part A) when the account has two-factor on.
  code: z.string().max(64).optional(),
});

export const EMAIL_CHANGE_LINK_HOURS = 24;

export const EMAIL_TAKEN_MESSAGE = "This email address is already used by another account.";

import "server-only";

import type { Db } from "@/db";
import { AppError } from "@/lib/core/errors";

import { verifyEmail } from "./email-verification";
import { issueLinkToken } from "./one-time-links";
import { signUp } from "./sign-up";

/**
 * A new account made the way the sign-up page makes it, and verified the way its
 * e-mailed link verifies it: for the e-mail-free start of end-to-end journeys
 * that are not about signing up (app/api/test/seed, enabled by E2E_SEED_TOKEN).
 */
export async function seedAccount(
  db: Db,
  input: { name: unknown; email: unknown; password: unknown; verified: boolean },
  context: { ip: string },
): Promise<{ id: string; sessionVersion: number }> {
  const { created } = await signUp(db, { name: input.name, email: input.email, password: input.password }, context);
  if (!created) throw new AppError("conflict", "This address already has an account.");
  if (input.verified) await verifyEmail(db, await issueLinkToken(db, created.id, "verify_email"));
  return created;
}

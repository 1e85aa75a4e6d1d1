import { eq } from "drizzle-orm";

import type { Db } from "@/db";
import { users } from "@/db/schema";
import { AppError } from "@/lib/core/errors";

/** What needs a verified address, as the refusal words it. */
export type VerifiedOnly = "create an organization" | "invite anyone";

export function verifyFirstMessage(action: VerifiedOnly): string {
  return `Verify your email address to ${action}: open the link we e-mailed you, or send a new one from the banner at the top of the page.`;
}

/**
 * Creating an organization and sending invitations e-mail strangers on the
 * account's behalf: only an account whose address is proven may do it (a
 * throw-away account could otherwise send invitations as spam).
 */
export async function requireVerifiedEmail(db: Db, userId: string, action: VerifiedOnly): Promise<void> {
  const [user] = await db.select({ verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("unauthorized", "Sign in again to continue.");
  if (!user.verifiedAt) throw new AppError("forbidden", verifyFirstMessage(action));
}

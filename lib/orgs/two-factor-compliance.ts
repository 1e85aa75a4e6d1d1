import "server-only";

import { eq } from "drizzle-orm";

import type { Db } from "@/db";
import { users, type Organization } from "@/db/schema";
import { AppError } from "@/lib/core/errors";

export const twoFactorRequiredMessage = (orgName: string) =>
  `${orgName} requires two-factor authentication. Turn it on in Account → Security to open this organization.`;

/** A member of an org that requires two-factor, without it: 403 with the reason (pages show the banner instead). */
export class TwoFactorRequiredError extends AppError {
  constructor(readonly orgName: string) {
    super("forbidden", twoFactorRequiredMessage(orgName));
  }
}

export function isTwoFactorRequiredError(error: unknown): error is TwoFactorRequiredError {
  return error instanceof TwoFactorRequiredError;
}

/**
 * The org policy "require two-factor", checked by requireMembership and
 * lockOrgForMember (so pages, actions and API tokens get the same answer). Costs
 * a query only in orgs that require it.
 */
export async function requireTwoFactorCompliance(
  db: Db,
  userId: string,
  org: Pick<Organization, "name" | "requireTwoFactor">,
): Promise<void> {
  if (!org.requireTwoFactor) return;
  const [user] = await db.select({ enabledAt: users.twoFactorEnabledAt }).from(users).where(eq(users.id, userId));
  if (!user?.enabledAt) throw new TwoFactorRequiredError(org.name);
}

import { generateSync } from "otplib";

import type { Db } from "@/db";
import { beginTwoFactorSetup, confirmTwoFactorSetup } from "@/lib/auth/two-factor";

/** The code an authenticator app shows for `secret`, `steps` periods of 30 s from now. */
export function totpCode(secret: string, steps = 0): string {
  return generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
}

/** Turns two-factor on for a user through lib/, as the security page does; returns the secret and the recovery codes. */
export async function enableTwoFactor(db: Db, userId: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { secret } = await beginTwoFactorSetup(db, { userId });
  const { recoveryCodes } = await confirmTwoFactorSetup(db, { userId }, { code: totpCode(secret) });
  return { secret, recoveryCodes };
}

import { timingSafeEqual } from "node:crypto";

import { getDb } from "@/db";
import { seedAccount } from "@/lib/auth/seed-account";
import { env } from "@/lib/core/env";
import { isAppError } from "@/lib/core/errors";
import { clientIp, startSession } from "@/lib/next/session";

export const dynamic = "force-dynamic";

function tokenMatches(sent: string | null, expected: string): boolean {
  const a = Buffer.from(sent ?? "");
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Test-only: creates an account through lib/ and signs this browser in, so e2e
 * journeys that are not about signing up skip the sign-up form and the e-mailed
 * link. Answers 404 (as if it did not exist) unless E2E_SEED_TOKEN is set and sent.
 */
export async function POST(request: Request) {
  const expected = env().E2E_SEED_TOKEN;
  if (!expected || !tokenMatches(request.headers.get("x-e2e-seed-token"), expected)) return new Response("Not found", { status: 404 });
  const body = (await request.json().catch(() => ({}))) as { name?: unknown; email?: unknown; password?: unknown; verified?: unknown };
  try {
    const user = await seedAccount(
      await getDb(),
      { name: body.name, email: body.email, password: body.password, verified: body.verified !== false },
      { ip: await clientIp() },
    );
    await startSession(user);
    return Response.json({ id: user.id });
  } catch (error) {
    if (isAppError(error)) return Response.json({ error: { code: error.code, message: error.message } }, { status: 422 });
    throw error;
  }
}

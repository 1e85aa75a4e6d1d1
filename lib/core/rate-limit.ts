import "server-only";

import { sql } from "drizzle-orm";

import type { Db } from "@/db";
import { rateLimits } from "@/db/schema";

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

/**
 * Counts one hit against `key` in a fixed window and says whether it is within
 * `limit`. The counter lives in Postgres, so every app instance sharing the
 * database shares the limit; the upsert is atomic, so parallel hits all count.
 */
export async function hitRateLimit(db: Db, key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  const windowStart = sql`to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds})`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({
      count: rateLimits.count,
      retryAfter: sql<number>`ceil(extract(epoch from (${rateLimits.windowStart} + make_interval(secs => ${windowSeconds}) - now())))::int`,
    });
  if (!row) throw new Error("rate limit upsert returned nothing");
  // Ended windows are trimmed by the periodic job maintenance.trim-rate-limits (lib/jobs/maintenance.ts).
  return { allowed: row.count <= limit, count: row.count, retryAfterSeconds: Math.max(1, Number(row.retryAfter)) };
}

export function describeRetryAfter(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? "in a minute" : `in ${minutes} minutes`;
}

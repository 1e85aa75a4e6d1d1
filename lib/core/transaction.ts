import "server-only";

import type { Db } from "@/db";

import { pgErrorCode } from "./errors";

const RETRYABLE = new Set(["40001", "40P01"]); // serialization failure, deadlock

/**
 * Runs `work` in one transaction, retrying a few times with jitter when Postgres
 * aborts it for a serialization failure or a deadlock. Constraint violations and
 * AppErrors are answers for the user and are never retried.
 */
export async function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => work(tx as unknown as Db));
    } catch (error) {
      const code = pgErrorCode(error);
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt + Math.random() * 25));
    }
  }
}

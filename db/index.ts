import { env } from "@/lib/core/env";

import { openDatabase, type Database, type Db } from "./client";

export { copyOut, type Db } from "./client";

// One database per process. Kept on globalThis because Next loads server code in
// several module graphs (and re-evaluates it on dev reloads): a second PGlite on
// the same directory would diverge silently.
const globalForDb = globalThis as unknown as { appDatabase?: Promise<Database> };

async function open(): Promise<Database> {
  const config = env();
  const database = config.DATABASE_URL
    ? await openDatabase({
        url: config.DATABASE_URL,
        maxConnections: config.DATABASE_POOL_SIZE,
        prepare: config.DATABASE_PREPARED_STATEMENTS === "true",
      })
    : await openDatabase({ dir: config.PGLITE_DIR });
  // The embedded database always migrates itself; a real PostgreSQL does so in
  // development only (production runs `npm run db:migrate` before starting).
  if (database.kind === "pglite" || config.NODE_ENV !== "production") {
    try {
      await database.migrate();
    } catch (error) {
      // Release the connection (and PGlite's directory lock) so the next request can retry.
      await database.close();
      throw error;
    }
  }
  return database;
}

/** The process's database: its Drizzle handle, raw SQL for the job queue, and close(). */
export async function getDatabase(): Promise<Database> {
  await getDb();
  return globalForDb.appDatabase!;
}

export async function getDb(): Promise<Db> {
  globalForDb.appDatabase ??= open().catch((error) => {
    globalForDb.appDatabase = undefined;
    throw error;
  });
  return (await globalForDb.appDatabase).db;
}

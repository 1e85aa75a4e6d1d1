import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import { lockDataDirectory } from "./pglite-lock";
import * as schema from "./schema";

/** What every domain function receives: a database or a transaction, either driver. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = path.resolve(process.cwd(), "db/migrations");

export type DatabaseOptions =
  | { url: string; maxConnections?: number }
  /** `dir` is a directory, or "memory://" for a throw-away database (tests). */
  | { dir: string };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if ("url" in options) {
    const client = postgres(options.url, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
    });
    const db = drizzlePostgres({ client, schema });
    return {
      db: db as unknown as Db,
      kind: "postgres",
      migrate: () => migratePostgres(db, { migrationsFolder }),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const inMemory = options.dir.startsWith("memory://");
  const release = inMemory ? () => {} : lockDataDirectory(options.dir);
  try {
    const client = new PGlite(inMemory ? options.dir : path.resolve(options.dir));
    await client.waitReady;
    const db = drizzlePglite({ client, schema });
    return {
      db: db as unknown as Db,
      kind: "pglite",
      migrate: () => migratePglite(db, { migrationsFolder }),
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, expect } from "vitest";

import { openDatabase, type Database, type Db } from "@/db/client";
import { organizations } from "@/db/schema";

export type TestDbKind = "pglite" | "postgres";

/** Which database this vitest project runs on (set per project in vitest.config.ts). */
export function testDbKind(): TestDbKind {
  const kind = process.env.TEST_DB;
  if (kind === "pglite" || kind === "postgres") return kind;
  throw new Error(`TEST_DB must be "pglite" or "postgres" (got ${JSON.stringify(kind)}); run integration tests through vitest projects.`);
}

export interface TestDatabase {
  kind: TestDbKind;
  db: Db;
  database: Database;
  /** The connection string of the fresh database (postgres only): open more clients on it. */
  url?: string;
  /** Closes the database and, on postgres, drops it. */
  dispose(): Promise<void>;
}

/**
 * A migrated, empty database: PGlite in memory, or a new uniquely named database
 * on the server at TEST_DATABASE_URL. The caller disposes of it. `migrate: false`
 * leaves it without any table (for tests that apply migrations themselves).
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const kind = testDbKind();
  const migrate = options.migrate !== false;
  if (kind === "pglite") {
    const database = await openDatabase({ dir: "memory://" });
    if (migrate) await database.migrate();
    return { kind, db: database.db, database, dispose: () => database.close() };
  }

  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error("TEST_DATABASE_URL is not set: the postgres project needs a server (see scripts/test.sh).");
  const name = `test_${process.pid}_${randomBytes(6).toString("hex")}`;
  await withAdmin(serverUrl, (sql) => sql.unsafe(`CREATE DATABASE "${name}"`));
  const url = databaseUrl(serverUrl, name);
  let database: Database | undefined;
  try {
    database = await openDatabase({ url });
    if (migrate) await database.migrate();
  } catch (error) {
    await database?.close();
    await dropDatabase(serverUrl, name);
    throw error;
  }
  const opened = database;
  return {
    kind,
    db: opened.db,
    database: opened,
    url,
    dispose: async () => {
      await opened.close();
      await dropDatabase(serverUrl, name);
    },
  };
}

/**
 * One database for the whole test file: created in `beforeAll`, disposed of in
 * `afterAll`. Read `.db` (and friends) inside tests and hooks, not at import time.
 * Tests in a file share it, so each test seeds its own users (uniqueEmail()).
 */
export function setupTestDatabase(): Omit<TestDatabase, "dispose"> {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase();
  });
  afterAll(async () => {
    // Whatever the file did to memberships, each org's kept count (migration 0016's trigger) matches its rows.
    const counted = sql<number>`(select count(*)::int from memberships m where m.org_id = ${organizations.id})`;
    const drifted = await current?.db
      .select({ name: organizations.name, kept: organizations.memberCount, counted })
      .from(organizations)
      .where(sql`${organizations.memberCount} <> ${counted}`)
      .catch(() => undefined); // a file that closed its database itself (readiness, outages)
    if (drifted) expect(drifted, "organizations.member_count out of step with memberships").toEqual([]);
    await current?.dispose();
    current = undefined;
  });
  const ready = (): TestDatabase => {
    if (!current) throw new Error("The test database is only available inside tests and hooks.");
    return current;
  };
  return {
    get kind() {
      return testDbKind();
    },
    get db() {
      return ready().db;
    },
    get database() {
      return ready().database;
    },
    get url() {
      return ready().url;
    },
  };
}

/** The same server, another database name. */
function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(serverUrl: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  // FORCE: a client a failed test left open must not keep the database alive.
  await withAdmin(serverUrl, (sql) => sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

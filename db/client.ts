import path from "node:path";
import type { Readable } from "node:stream";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

import { installJobQueue } from "./job-queue";
import { lockDataDirectory } from "./pglite-lock";
import * as schema from "./schema";

/** What every domain function receives: a database or a transaction, either driver. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * Raw SQL on the database's own connection(s), in the shape pg-boss expects of a
 * custom `db` (lib/jobs): `values` bind $1..$n; without values the text may hold
 * several statements, and the last one's rows are returned.
 */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  sql: SqlExecutor;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = path.resolve(process.cwd(), "db/migrations");

/**
 * The postgres.js client behind a Drizzle handle opened on a PostgreSQL URL (not a
 * transaction's), as a property under a registered symbol: Next loads this module in
 * more than one module graph, and the handle may come from another copy of it.
 */
const POSTGRES_CLIENT = Symbol.for("orgs-console.postgres-client");

function postgresClientOf(db: Db): postgres.Sql | undefined {
  return (db as unknown as { [POSTGRES_CLIENT]?: postgres.Sql })[POSTGRES_CLIENT];
}

/**
 * `COPY (…) TO STDOUT` on a connection of its own, as the bytes PostgreSQL sends,
 * with backpressure: the socket is paused while the consumer is not reading.
 * Undefined when `db` is not a postgres.js database (PGlite, or a transaction).
 * The statement is sent as simple-protocol text, so it cannot take parameters:
 * callers inline only values they have validated. Stopping early (a `return()`
 * or `throw()` on the generator, a client that hangs up) cancels the statement
 * (pg_cancel_backend) and drains what is in flight before the connection goes
 * back to the pool.
 */
export function copyOut(db: Db, statement: string): AsyncGenerator<Buffer> | undefined {
  const client = postgresClientOf(db);
  if (!client) return undefined;
  return (async function* chunks() {
    const connection = await client.reserve();
    let stream: Readable | undefined;
    try {
      // In a transaction, so that behind a pooler in transaction mode (PgBouncer) the pid
      // and the COPY are one server connection's. The pid is what the COPY is cancelled
      // by: postgres.js cannot cancel a query whose promise has resolved (to the stream),
      // and sends nothing.
      await connection.unsafe("begin read only");
      const [backend] = await connection<{ pid: number }[]>`select pg_backend_pid() as pid`;
      try {
        stream = (await connection.unsafe(statement).readable()) as Readable;
        // Not destroyed on an early return: the driver would then pause the socket for good.
        for await (const chunk of stream.iterator({ destroyOnReturn: false })) yield chunk as Buffer;
      } finally {
        if (stream && !stream.destroyed && !stream.readableEnded) {
          // Stopped before the end: cancel the COPY, and read (and drop) what is still
          // in flight until the server's error (or the end) closes the stream.
          const open = stream;
          const settled = new Promise<void>((resolve) => {
            open.once("error", () => resolve());
            open.once("end", () => resolve());
            open.once("close", () => resolve());
          });
          const drop = () => {
            while (open.read() !== null);
          };
          open.on("readable", drop);
          drop();
          await client`select pg_cancel_backend(${backend!.pid})`.catch(() => {});
          await settled;
        }
        // postgres.js pauses the socket when a push finds the stream's buffer full and
        // resumes it only from the stream's read(); when that push was the last before
        // CopyDone, nothing reads again and the connection would wait forever for the
        // rest (CommandComplete, ReadyForQuery). Resume it.
        if (stream) (stream as unknown as { _read(size: number): void })._read(0);
      }
    } finally {
      // The transaction ends (read only: rollback is commit), then one statement goes
      // through, so the connection is idle before it goes back to the pool and a cancel
      // that arrived after the COPY had ended is spent here, not on the next user.
      await connection.unsafe("rollback").catch(() => {});
      await connection.unsafe("select 1").catch(() => {});
      connection.release();
    }
  })();
}

export type DatabaseOptions =
  /**
   * `prepare: false` for a pooler in transaction mode (PgBouncer): a named prepared
   * statement lives on one server connection, and the next transaction may get another.
   */
  | { url: string; maxConnections?: number; prepare?: boolean }
  /** `dir` is a directory, or "memory://" for a throw-away database (tests). */
  | { dir: string };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if ("url" in options) {
    const client = postgres(options.url, {
      max: options.maxConnections ?? 10,
      prepare: options.prepare ?? true,
      // Fail a connection attempt after 10 s (the driver's default is 30): during a database restart,
      // requests answer sooner and the pool retries on the next query.
      connect_timeout: 10,
      onnotice: () => {},
    });
    const db = drizzlePostgres({ client, schema });
    Object.defineProperty(db, POSTGRES_CLIENT, { value: client });
    const executor: SqlExecutor = {
      async executeSql(text, values) {
        if (values && values.length > 0) return { rows: [...(await client.unsafe(text, values.map(toDriverValue) as never[]))] };
        // No values: the simple protocol, which runs several statements in one round trip
        // (pg-boss's BEGIN ... COMMIT blocks), on a connection held for the duration.
        const connection = await client.reserve();
        let result: unknown;
        try {
          result = await connection.unsafe(text).simple();
        } finally {
          connection.release();
        }
        const last = Array.isArray(result) && Array.isArray(result[0]) ? result[result.length - 1] : result;
        return { rows: [...((last as Record<string, unknown>[] | undefined) ?? [])] };
      },
    };
    return {
      db: db as unknown as Db,
      kind: "postgres",
      sql: executor,
      migrate: async () => {
        await migratePostgres(db, { migrationsFolder });
        await installJobQueue(executor);
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  const inMemory = options.dir.startsWith("memory://");
  const release = inMemory ? () => {} : lockDataDirectory(options.dir);
  try {
    const client = new PGlite(inMemory ? options.dir : path.resolve(options.dir));
    await client.waitReady;
    const db = drizzlePglite({ client, schema });
    const executor: SqlExecutor = {
      async executeSql(text, values) {
        if (values && values.length > 0) {
          const result = await client.query<Record<string, unknown>>(text, values.map(toDriverValue));
          return { rows: result.rows };
        }
        const results = await client.exec(text);
        return { rows: (results[results.length - 1]?.rows ?? []) as Record<string, unknown>[] };
      },
    };
    return {
      db: db as unknown as Db,
      kind: "pglite",
      sql: executor,
      migrate: async () => {
        await migratePglite(db, { migrationsFolder });
        await installJobQueue(executor);
      },
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

/** `{"a","b"}`: a flat array as Postgres reads it from text, as node-postgres writes it. */
function postgresArrayLiteral(items: unknown[]): string {
  const elements = items.map((item) =>
    item === null || item === undefined ? "NULL" : `"${String(item).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`,
  );
  return `{${elements.join(",")}}`;
}

/** Values as node-postgres would send them (what pg-boss was written for): objects as JSON, dates as ISO text. */
export function toDriverValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return postgresArrayLiteral(value);
  if (value !== null && typeof value === "object" && !(value instanceof Uint8Array)) return JSON.stringify(value);
  return value;
}

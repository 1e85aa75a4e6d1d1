import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import postgres from "postgres";

import { openDatabase, type Database } from "@/db/client";

import { startFakeResend, type FakeResend } from "../helpers/fake-resend";

/*
 * The scale-out stack on real processes, for tests/scale:
 *
 *   this test process ── fake Resend (tests/helpers/fake-resend.ts)
 *        │ HTTP                           ▲ e-mail
 *   app A, app B (next start, built .next, JOBS_IN_PROCESS=false)   worker (scripts/worker.ts)
 *        └────────────── PgBouncer, transaction pooling ─────────────────┘
 *                                   │
 *                 a throw-away PostgreSQL 15 of its own (scripts/postgres.sh)
 *
 * Each test file starts one stack (beforeAll) and stops it (afterAll). Seeding and
 * checks go straight to PostgreSQL through lib/; everything under test goes over HTTP.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);
const PGBOUNCER = process.env.PGBOUNCER_BIN ?? "/usr/sbin/pgbouncer";
const PG_BIN = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
const isRoot = process.getuid?.() === 0;

/** The same secrets in the apps, the worker and this process (API tokens and sealed e-mail bodies depend on them). */
export const SCALE_ENV = {
  AUTH_SECRET: "scale-test-secret-not-for-production-0123456789",
  SECRETS_KEY: "eGYgkAqMgCcAg4e7zAsAl9n1p9RQMrvcs9hp36LLK4E=",
  E2E_SEED_TOKEN: `scale-seed-${randomBytes(24).toString("hex")}`,
};

/** Job timings short enough for a test to watch retries, expiry and recovery. */
const JOB_ENV = {
  JOB_RETRY_LIMIT: "40",
  JOB_RETRY_DELAY_SECONDS: "1",
  JOB_POLL_INTERVAL_SECONDS: "0.5",
  JOB_EXPIRE_SECONDS: "3",
  JOB_MAINTENANCE_INTERVAL_SECONDS: "1",
  MAIL_SEND_TIMEOUT_SECONDS: "1",
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value other than undefined/false, or fails with the last reason after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = "not yet";
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}: ${String(last)}`);
    await sleep(everyMs);
  }
}

// ---------------------------------------------------------------- processes

/** A child process in its own process group, so `kill -9` takes it and anything it spawned (tsx runs a child node). */
export class Proc {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    // SCALE_LOG_DIR=<dir> keeps each process's whole output there, for a post-mortem.
    const logDir = process.env.SCALE_LOG_DIR;
    const logFile = logDir ? path.join(logDir, `${name}-${child.pid}.log`) : undefined;
    const keep = (chunk: Buffer) => {
      if (logFile) appendFileSync(logFile, chunk);
      for (const line of chunk.toString("utf8").split("\n")) if (line) this.output.push(line);
      if (this.output.length > 400) this.output.splice(0, this.output.length - 400);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => child.once("exit", (code) => resolve((this.exitCode = code))));
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  /** SIGKILL to the whole group: a crash, with no shutdown handler running. */
  async kill9(): Promise<void> {
    if (!this.alive || !this.child.pid) return;
    try {
      process.kill(-this.child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    await this.exited;
  }

  tail(lines = 40): string {
    return `--- last output of ${this.name} ---\n${this.output.slice(-lines).join("\n")}`;
  }
}

function spawnGroup(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, cwd = root): Proc {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  return new Proc(name, child);
}

/** Runs a command as the owner of the cluster: initdb, postgres and pgbouncer refuse root (as scripts/postgres.sh does). */
function asOwner(command: string, args: string[]): [string, string[]] {
  return isRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
}

// ---------------------------------------------------------------- PostgreSQL

export interface Postgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  serverUrl: string;
  dataDir: string;
  /** `pg_ctl restart -m fast`: every backend is terminated, the server is back when it returns. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A cluster of its own, started by scripts/postgres.sh's start_throwaway_postgres (restarting it disturbs no other test). */
export async function startPostgres(): Promise<Postgres> {
  const script = `. scripts/postgres.sh && start_throwaway_postgres >&2 && echo "$TEST_DATABASE_URL" && echo "$PG_DATA"`;
  const { stdout } = await run("bash", ["-c", script], { cwd: root, env: { ...process.env, TEST_DATABASE_URL: "" } });
  const [serverUrl, dataDir] = stdout.trim().split("\n").slice(-2);
  if (!serverUrl?.startsWith("postgres://") || !dataDir) throw new Error(`start_throwaway_postgres printed: ${stdout}`);
  const pgCtl = (...args: string[]) => {
    const [command, argv] = asOwner(path.join(PG_BIN, "pg_ctl"), ["-D", dataDir, ...args]);
    return run(command, argv, { cwd: root });
  };
  return {
    serverUrl,
    dataDir,
    // postmaster.opts keeps the port and settings of the first start.
    restart: async () => {
      await pgCtl("-l", path.join(path.dirname(dataDir), "postgres-restart.log"), "-m", "fast", "-w", "-t", "60", "restart");
    },
    stop: async () => {
      await pgCtl("-m", "immediate", "-w", "-t", "30", "stop").catch(() => undefined);
      rmSync(path.dirname(dataDir), { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------- PgBouncer

export interface PgBouncer {
  port: number;
  url(database: string): string;
  /** A command of the admin console (SHOW CONFIG, SHOW CLIENTS...), its rows. */
  admin(command: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
  proc: Proc;
}

/**
 * PgBouncer in transaction pooling mode in front of `serverUrl`: a server connection
 * belongs to a client for one transaction only, so nothing that lives in a session
 * (named prepared statements, session advisory locks, LISTEN) survives between them.
 */
export async function startPgBouncer(serverUrl: string): Promise<PgBouncer> {
  if (!existsSync(PGBOUNCER)) throw new Error(`PgBouncer is missing (${PGBOUNCER}): apt-get install -y --no-install-recommends pgbouncer`);
  const server = new URL(serverUrl);
  const dir = mkdtempSync(path.join(tmpdir(), "scale-pgbouncer-"));
  const port = await freePort();
  writeFileSync(path.join(dir, "userlist.txt"), `"postgres" ""\n`);
  writeFileSync(
    path.join(dir, "pgbouncer.ini"),
    [
      "[databases]",
      `* = host=${server.hostname} port=${server.port}`,
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = trust",
      `auth_file = ${path.join(dir, "userlist.txt")}`,
      "pool_mode = transaction",
      "max_client_conn = 1000",
      "default_pool_size = 40",
      "max_db_connections = 80",
      // Sent by some clients at start-up; PgBouncer would refuse the connection for it.
      "ignore_startup_parameters = extra_float_digits,options",
      // While PostgreSQL is down: try again every second, and answer a waiting query with an error after 10 s instead of 120.
      "server_login_retry = 1",
      "query_wait_timeout = 10",
      "server_connect_timeout = 5",
      // The admin console (database "pgbouncer"): tests read SHOW CONFIG and SHOW CLIENTS there.
      "admin_users = postgres",
      "log_connections = 0",
      "log_disconnections = 0",
      "",
    ].join("\n"),
  );
  if (isRoot) chownSync(dir, Number((await run("id", ["-u", "postgres"])).stdout.trim()), 0);
  const [command, args] = asOwner(PGBOUNCER, [path.join(dir, "pgbouncer.ini")]);
  const proc = spawnGroup("pgbouncer", command, args, process.env);
  await eventually(
    "PgBouncer to accept connections",
    async () => {
      if (!proc.alive) throw new Error(`PgBouncer exited\n${proc.tail()}`);
      return canConnect(port);
    },
    20_000,
    100,
  );
  return {
    port,
    proc,
    url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    admin: async (command) => {
      // The console answers SHOW commands only, in the simple protocol: no type lookup.
      const console = postgres(`postgres://postgres@127.0.0.1:${port}/pgbouncer`, { max: 1, fetch_types: false, onnotice: () => {} });
      try {
        return [...(await console.unsafe(command).simple())] as Record<string, unknown>[];
      } finally {
        await console.end({ timeout: 5 });
      }
    },
    stop: async () => {
      await proc.kill9();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

// ---------------------------------------------------------------- the stack

export interface AppInstance {
  name: string;
  url: string;
  proc: Proc;
}

export interface Stack {
  pg: Postgres;
  bouncer: PgBouncer;
  /** The name of the test's database (the same through PgBouncer). */
  databaseName: string;
  /** The test's database, straight to PostgreSQL (not through PgBouncer): seeding and checks. */
  database: Database;
  /** Raw SQL on the same database, straight to PostgreSQL. */
  sql: postgres.Sql;
  fake: FakeResend;
  apps: AppInstance[];
  workers: Proc[];
  /** Starts one more worker process (scripts/worker.ts) and waits until it runs. */
  startWorker(): Promise<Proc>;
  /** Starts the app instance anew (after a crash) on its port and waits for readiness. */
  restartApp(index: number): Promise<AppInstance>;
  /** Last lines of every process, for a failure message. */
  logs(): string;
  stop(): Promise<void>;
}

const NEXT_BIN = path.join(root, "node_modules/next/dist/bin/next");
const TSX_CLI = path.join(root, "node_modules/tsx/dist/cli.mjs");

export async function startStack(options: { apps?: number } = {}): Promise<Stack> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const procs: Proc[] = [];
  try {
    const pg = await startPostgres();
    cleanups.push(() => pg.stop());

    const databaseName = `scale_${randomBytes(4).toString("hex")}`;
    const admin = postgres(pg.serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE "${databaseName}"`);
    await admin.end();
    const directUrl = new URL(pg.serverUrl);
    directUrl.pathname = `/${databaseName}`;
    const database = await openDatabase({ url: directUrl.toString(), maxConnections: 5 });
    cleanups.push(() => database.close());
    await database.migrate();
    const sql = postgres(directUrl.toString(), { max: 3, onnotice: () => {} });
    cleanups.push(() => sql.end({ timeout: 5 }));

    const bouncer = await startPgBouncer(pg.serverUrl);
    cleanups.push(() => bouncer.stop());
    procs.push(bouncer.proc);

    const fake = await startFakeResend();
    cleanups.push(() => fake.close());

    const appCount = options.apps ?? 2;
    const ports = await Promise.all(Array.from({ length: appCount }, () => freePort()));
    const common: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: bouncer.url(databaseName),
      DATABASE_PREPARED_STATEMENTS: "false",
      DATABASE_POOL_SIZE: "10",
      RESEND_API_KEY: "re_scale_test_not_a_real_key",
      RESEND_BASE_URL: fake.url,
      MAIL_FROM: "Scale Tests <noreply@example.test>",
      APP_URL: `http://127.0.0.1:${ports[0]}`,
      ...SCALE_ENV,
      ...JOB_ENV,
      SIGN_UP_LIMIT_PER_IP: "100000",
      INVITES_PER_ORG_PER_DAY: "100000",
      INVITES_PER_USER_PER_DAY: "100000",
      INVITES_PER_IP_PER_DAY: "100000",
      LOG_LEVEL: "warn",
    };

    const startApp = async (index: number): Promise<AppInstance> => {
      const name = `app-${String.fromCharCode(65 + index)}`;
      const url = `http://127.0.0.1:${ports[index]}`;
      const proc = spawnGroup(name, process.execPath, [NEXT_BIN, "start", "-p", String(ports[index]), "-H", "127.0.0.1"], {
        ...common,
        JOBS_IN_PROCESS: "false",
        NEXT_MANUAL_SIG_HANDLE: "true",
      });
      procs.push(proc);
      await eventually(
        `${name} to be ready`,
        async () => {
          if (!proc.alive) throw new Error(`${name} exited\n${proc.tail()}`);
          const response = await fetch(`${url}/api/ready`, { signal: AbortSignal.timeout(5000) });
          return response.status === 200;
        },
        120_000,
        250,
      );
      return { name, url, proc };
    };

    const workers: Proc[] = [];
    let workerCount = 0;
    const startWorker = async (): Promise<Proc> => {
      workerCount++;
      // LOG_LEVEL=info for its "job workers started" line; jobs log at debug, failures at warn.
      const proc = spawnGroup(
        `worker-${workerCount}`,
        process.execPath,
        [TSX_CLI, "--tsconfig", "scripts/tsconfig.json", "scripts/worker.ts"],
        {
          ...common,
          LOG_LEVEL: "info",
          ...(process.env.SCALE_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.SCALE_WORKER_NODE_OPTIONS } : {}),
        },
      );
      procs.push(proc);
      await eventually(
        `${proc.name} to start its workers`,
        async () => {
          if (!proc.alive) throw new Error(`${proc.name} exited\n${proc.tail()}`);
          return proc.output.some((line) => line.includes("job workers started"));
        },
        60_000,
        100,
      );
      workers.push(proc);
      return proc;
    };

    const apps = await Promise.all(Array.from({ length: appCount }, (_, i) => startApp(i)));
    await startWorker();

    const stack: Stack = {
      pg,
      bouncer,
      databaseName,
      database,
      sql,
      fake,
      apps,
      workers,
      startWorker,
      restartApp: async (index) => {
        const app = await startApp(index);
        apps[index] = app;
        return app;
      },
      logs: () => procs.map((p) => p.tail(25)).join("\n"),
      stop: async () => {
        await Promise.all(procs.map((p) => p.kill9()));
        for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      },
    };
    return stack;
  } catch (error) {
    const logs = procs.map((p) => p.tail(25)).join("\n");
    await Promise.all(procs.map((p) => p.kill9()));
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    if (error instanceof Error) error.message += `\n${logs}`;
    throw error;
  }
}

// ---------------------------------------------------------------- HTTP

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // Bodies are read field by field in tests.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** One request; a network error or a timeout is an answer with status 0 (never a hang: 60 s at most). */
export async function request(
  baseUrl: string,
  method: string,
  urlPath: string,
  init: { token?: string; json?: unknown; cookie?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { "user-agent": "scale-tests/1.0", ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.cookie) headers.cookie = init.cookie;
  if (init.json !== undefined) headers["content-type"] = "application/json";
  try {
    const response = await fetch(`${baseUrl}${urlPath}`, {
      method,
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      redirect: "manual",
      signal: AbortSignal.timeout(init.timeoutMs ?? 60_000),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, text, body };
  } catch (error) {
    return { status: 0, headers: new Headers(), text: String(error), body: undefined };
  }
}

/** Creates a verified account through the app's test-only seed route and returns its session cookie (signed in on that instance). */
export async function seedSignedInUser(baseUrl: string, email: string, password: string, name = "Scale User") {
  const answer = await request(baseUrl, "POST", "/api/test/seed", {
    headers: { "x-e2e-seed-token": SCALE_ENV.E2E_SEED_TOKEN },
    json: { name, email, password, verified: true },
  });
  if (answer.status !== 200) throw new Error(`seed: ${answer.status} ${answer.text}`);
  const cookie = answer.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
  return { id: String(answer.body.id), email, name, password, cookie };
}

// ---------------------------------------------------------------- server actions over HTTP

let actionIds: Map<string, string> | undefined;

/** The id `next build` gave a server action (from .next's server-reference-manifest.json), by its exported name. */
export function serverActionId(exportedName: string): string {
  if (!actionIds) {
    const manifest = JSON.parse(readFileSync(path.join(root, ".next/server/server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { exportedName?: string }>;
    };
    actionIds = new Map(Object.entries(manifest.node).map(([id, entry]) => [entry.exportedName ?? "", id]));
  }
  const id = actionIds.get(exportedName);
  if (!id) throw new Error(`No server action named ${exportedName} in .next (run next build)`);
  return id;
}

export interface ActionAnswer {
  status: number;
  /** The FormState the action returned, when it returned one (a redirect returns none). */
  state?: { ok: boolean; message?: string; formError?: string; redirectTo?: string };
  redirect?: string;
  cookie?: string;
  text: string;
}

/**
 * Calls a `(previous: FormState, form: FormData)` server action the way React's
 * client does (POST to a page that uses it, `Next-Action` header, the arguments in
 * React's reply encoding: "0" is the argument list, "_1_<field>" the FormData).
 */
export async function callAction(
  baseUrl: string,
  pagePath: string,
  exportedName: string,
  fields: Record<string, string>,
  cookie?: string,
): Promise<ActionAnswer> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(`_1_${key}`, value);
  form.append("0", JSON.stringify([null, "$K1"]));
  const headers: Record<string, string> = {
    "next-action": serverActionId(exportedName),
    accept: "text/x-component",
    origin: baseUrl,
    "user-agent": "scale-tests/1.0",
  };
  if (cookie) headers.cookie = cookie;
  try {
    const response = await fetch(`${baseUrl}${pagePath}`, {
      method: "POST",
      headers,
      body: form,
      redirect: "manual",
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    const setCookies = response.headers.getSetCookie().map((c) => c.split(";")[0]!);
    // The RSC payload: one "<id>:<json>" line per chunk; the action's result is the one with "ok".
    let state: ActionAnswer["state"];
    for (const line of text.split("\n")) {
      const json = line.slice(line.indexOf(":") + 1);
      if (!json.startsWith("{") || !json.includes('"ok"')) continue;
      try {
        state = JSON.parse(json) as ActionAnswer["state"];
      } catch {
        // not this line
      }
    }
    return {
      status: response.status,
      state,
      redirect: response.headers.get("x-action-redirect") ?? undefined,
      cookie: setCookies.length > 0 ? setCookies.join("; ") : undefined,
      text,
    };
  } catch (error) {
    return { status: 0, text: String(error) };
  }
}

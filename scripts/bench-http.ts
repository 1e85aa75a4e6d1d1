// `npm run bench:http`: the pages over HTTP, as a browser gets them, from the
// production build on a throw-away PostgreSQL with 10,001 members and 1,000,000
// activity entries in one org. Signs in through the sign-in form (in Chromium),
// then drives each page with autocannon at 10 connections, measuring the
// signed-out sign-in page (the floor: no data) before each one, and prints
// req/s, latency, server CPU per request and bytes, with each page's ratio to
// the floor measured next to it. Exits non-zero on errors (a non-2xx answer,
// a page without its rows), never on timings.
//
//   npm run bench:http                    build, seed, measure (10 s a page)
//   npm run bench:http -- --reuse-build   keep the .next build already there
//   npm run bench:http -- --duration=5 --only=members,floor
//   npm run bench:http -- --only=export     the CSV export of every entry, downloaded once
//   npm run bench:http -- --dump=DIR      also write each page's HTML (or JSON) to DIR
//   npm run bench:http -- --profile=DIR   also write the server's CPU profile (node --cpu-prof) to DIR and summarize it
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "@playwright/test";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";

import { summarizeCpuProfile } from "./cpu-profile-summary";

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, "").split("=");
    return [key!, value ?? "true"] as const;
  }),
);
const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!url) throw new Error("Set BENCH_DATABASE_URL (npm run bench:http starts a throw-away PostgreSQL and sets it).");
const DURATION = Number(args.get("duration") ?? 10);
const CONNECTIONS = 10;
const only = args.get("only")?.split(",");
const profileDir = args.get("profile") ? path.resolve(args.get("profile")!) : undefined;
const dumpDir = args.get("dump") ? path.resolve(args.get("dump")!) : undefined;

// The app's environment, for the server and for the seed (lib/ reads it through lib/core/env.ts).
const appEnv = {
  AUTH_SECRET: "bench-http-secret-not-for-production-0123456789",
  SECRETS_KEY: "MjO7GuEtt5WxcbBOVnNDJoykL6BvMH0naE78vWeiR1g=",
  MAIL_OUTBOX_IN_PRODUCTION: "true",
};
Object.assign(process.env, appEnv);

const { openDatabase } = await import("../db/client");
const { encodeKeysetCursor } = await import("@/lib/core/keyset-cursor");
const { seedBench, BENCH_ORG, OWNER, MEMBERS, ENTRIES } = await import("./bench-http-seed");

if (args.get("reuse-build") !== "true" || !existsSync(".next/BUILD_ID")) {
  console.error("Building the production app (next build)…");
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (build.status !== 0) throw new Error("next build failed");
}

const database = await openDatabase({ url, maxConnections: 4 });
const { db } = database;
await database.migrate();
let started = performance.now();
const { orgId } = await seedBench(db);
console.error(
  `Seeded ${MEMBERS.toLocaleString("en")} members and ${ENTRIES.toLocaleString("en")} entries in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

// Cursors deep in the lists, as the pages' "Next page" links and the feed would carry them.
type Row = Record<string, string>;
const [deepMember] = (await db.execute(
  sql.raw(
    `select joined_at::text as at, user_id::text as "userId" from memberships where org_id = '${orgId}' order by joined_at, user_id offset 9000 limit 1`,
  ),
)) as unknown as Row[];
const [deepEntry] = (await db.execute(
  sql.raw(
    `select created_at::text as at, id::text as id from activities where org_id = '${orgId}' order by created_at desc, id desc offset 900000 limit 1`,
  ),
)) as unknown as Row[];
const memberCursor = encodeKeysetCursor({ at: deepMember!.at, userId: deepMember!.userId });
const entryCursor = encodeKeysetCursor({ at: deepEntry!.at, id: Number(deepEntry!.id) });
await database.close();

const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});
const base = `http://127.0.0.1:${port}`;
if (profileDir) mkdirSync(profileDir, { recursive: true });
if (dumpDir) mkdirSync(dumpDir, { recursive: true });
const server: ChildProcess = spawn(
  process.execPath,
  [
    ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
    "node_modules/next/dist/bin/next",
    "start",
    "-p",
    String(port),
    "-H",
    "127.0.0.1",
  ],
  { env: { ...process.env, ...appEnv, NODE_ENV: "production", DATABASE_URL: url, APP_URL: base }, stdio: ["ignore", "pipe", "pipe"] },
);
let serverLog = "";
server.stdout!.on("data", (chunk: Buffer) => (serverLog += chunk));
server.stderr!.on("data", (chunk: Buffer) => (serverLog += chunk));
const stopServer = () =>
  new Promise<void>((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
  });
process.on("exit", () => server.kill("SIGKILL"));

for (let attempt = 0; ; attempt++) {
  const ok = await fetch(`${base}/api/health`).then(
    (response) => response.ok,
    () => false,
  );
  if (ok) break;
  if (attempt > 120 || server.exitCode !== null) throw new Error(`next start did not come up:\n${serverLog}`);
  await new Promise((resolve) => setTimeout(resolve, 500));
}

// The real sign-in: the form on /sign-in, in a browser, and its session cookie.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const context = await browser.newContext({ baseURL: base });
const page = await context.newPage();
await page.goto("/sign-in");
await page.getByLabel("Email").fill(OWNER.email);
await page.getByLabel("Password").fill(OWNER.password);
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL(new RegExp(`/orgs/${BENCH_ORG}`));
const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
await browser.close();

interface Target {
  key: string;
  label: string;
  path: string;
  signedIn: boolean;
  /** The answer is right (checked on one full answer before the run). */
  check: (body: string) => string | undefined;
  /** A cheap marker every answer under load must contain. */
  marker: string;
}

const count = (body: string, text: string) => body.split(text).length - 1;
const rows = (testId: string, expected: number) => (body: string) => {
  const found = count(body, `data-testid="${testId}"`);
  return found === expected ? undefined : `${found} rows of ${testId}, expected ${expected}`;
};
const feed = (body: string) => {
  const parsed = JSON.parse(body) as { entries?: unknown[]; nextCursor?: unknown };
  return parsed.entries?.length === 50 && typeof parsed.nextCursor === "string" ? undefined : "not a page of 50 entries";
};
const org = `/orgs/${BENCH_ORG}`;
const targets: Target[] = [
  {
    key: "members",
    label: "members (first 50)",
    path: `${org}/members`,
    signedIn: true,
    check: rows("member-row", 50),
    marker: "member-row",
  },
  {
    key: "members-deep",
    label: "members (after member 9,000)",
    path: `${org}/members?after=${memberCursor}`,
    signedIn: true,
    check: rows("member-row", 50),
    marker: "member-row",
  },
  {
    key: "activity",
    label: "activity (first 50)",
    path: `${org}/activity`,
    signedIn: true,
    check: rows("activity-entry", 50),
    marker: "activity-entry",
  },
  {
    key: "activity-type",
    label: "activity, filtered by type",
    path: `${org}/activity?type=secret.revealed`,
    signedIn: true,
    check: (body) =>
      rows("activity-entry", 50)(body) ?? (count(body, 'data-type="secret.revealed"') === 50 ? undefined : "entries of other types"),
    marker: "activity-entry",
  },
  {
    key: "activity-deep",
    label: "activity (after entry 900,000)",
    path: `${org}/activity?cursor=${entryCursor}`,
    signedIn: true,
    check: rows("activity-entry", 50),
    marker: "activity-entry",
  },
  {
    key: "overview",
    label: "overview",
    path: org,
    signedIn: true,
    check: (body) => (body.includes(">10,001<") || body.includes(">10001<") ? undefined : "no member count of 10,001"),
    marker: "org-members",
  },
  { key: "feed", label: "activity JSON feed (first 50)", path: `${org}/activity/feed`, signedIn: true, check: feed, marker: '"entries"' },
  {
    key: "feed-deep",
    label: "activity JSON feed (after entry 900,000)",
    path: `${org}/activity/feed?cursor=${entryCursor}`,
    signedIn: true,
    check: feed,
    marker: '"entries"',
  },
];
const floor: Target = {
  key: "floor",
  label: "sign-in page, signed out (floor)",
  path: "/sign-in",
  signedIn: false,
  check: (body) => (body.includes("Sign in") && body.includes('name="password"') ? undefined : "no sign-in form"),
  marker: 'name="password"',
};

/** CPU time (ms) of the server and its child processes, from /proc (Linux); undefined elsewhere. */
function serverCpuMs(): number | undefined {
  if (!existsSync("/proc/self/stat")) return undefined;
  const stats = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const text = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
        return [{ pid: Number(pid), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }];
      } catch {
        return [];
      }
    });
  const tree = new Set([server.pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const stat of stats)
      if (tree.has(stat.ppid) && !tree.has(stat.pid)) {
        tree.add(stat.pid);
        grew = true;
      }
  }
  return stats.filter((stat) => tree.has(stat.pid)).reduce((sum, stat) => sum + stat.ticks, 0) * 10; // 100 ticks a second
}

const problems: string[] = [];

/** What a browser sends for a page (HTML) and what the timeline's fetch sends for the feed (JSON). */
function requestHeaders(target: Target): Record<string, string> {
  const accept = target.key.startsWith("feed") ? "*/*" : "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
  return target.signedIn ? { accept, cookie } : { accept };
}

async function fetchBody(target: Target) {
  // A fresh connection: a kept-alive one the server has just closed (after the export's downloads) would fail the fetch.
  const response = await fetch(base + target.path, { headers: { ...requestHeaders(target), connection: "close" }, redirect: "manual" });
  const body = await response.text();
  if (response.status !== 200) problems.push(`${target.label}: HTTP ${response.status}`);
  else {
    const wrong = target.check(body);
    if (wrong) problems.push(`${target.label}: ${wrong}`);
  }
  return body;
}

interface Measure {
  target: Target;
  rps: number;
  p50: number;
  p95: number;
  cpuPerRequest?: number;
  html: number;
  gzip: number;
}

async function measure(target: Target): Promise<Measure> {
  const body = await fetchBody(target);
  if (dumpDir) writeFileSync(path.join(dumpDir, `${target.key}.${target.key.startsWith("feed") ? "json" : "html"}`), body);
  const options = {
    url: base + target.path,
    connections: CONNECTIONS,
    headers: requestHeaders(target),
    verifyBody: (text: string | Buffer | undefined) => String(text ?? "").includes(target.marker),
  };
  await autocannon({ ...options, duration: 2 }); // warm-up, not recorded
  const times: number[] = [];
  const cpuBefore = serverCpuMs();
  // Without a callback autocannon returns its tracker, an event emitter that is also a promise of the result.
  const run = autocannon({ ...options, duration: DURATION }) as unknown as autocannon.Instance & Promise<autocannon.Result>;
  run.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  const result = await run;
  const cpuAfter = serverCpuMs();
  const failed = result.errors + result.timeouts + result.non2xx + result.mismatches;
  if (failed)
    problems.push(`${target.label}: ${failed} failed answers under load (non-2xx ${result.non2xx}, wrong body ${result.mismatches})`);
  await fetchBody(target); // still right after the load
  times.sort((a, b) => a - b);
  const pick = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  const total = result.requests.total;
  return {
    target,
    rps: total / (result.duration || DURATION),
    p50: pick(0.5),
    p95: pick(0.95),
    cpuPerRequest: cpuBefore !== undefined && cpuAfter !== undefined && total ? (cpuAfter - cpuBefore) / total : undefined,
    html: Buffer.byteLength(body),
    gzip: gzipSync(body).length,
  };
}

/** Resident memory (bytes) of the server and its child processes, from /proc (Linux); undefined elsewhere. */
function serverRssBytes(): number | undefined {
  if (!existsSync(`/proc/${server.pid}/status`)) return undefined;
  const pids = new Set([server.pid]);
  for (const name of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const text = readFileSync(`/proc/${name}/stat`, "utf8");
      if (pids.has(Number(text.slice(text.lastIndexOf(")") + 2).split(" ")[1]))) pids.add(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  for (const pid of pids) {
    try {
      total += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/**
 * `--only=export`: one download of the whole activity CSV (1,000,000 entries) through
 * the route, as a browser asks for it (gzip) and uncompressed, read as it arrives:
 * time to the first byte, total time, bytes, server CPU and the server's memory growth.
 */
async function measureExport() {
  const lines: string[] = [];
  for (const encoding of ["identity", "gzip"]) {
    const rssBefore = serverRssBytes();
    let rssPeak = rssBefore ?? 0;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, serverRssBytes() ?? 0)), 100);
    const cpuBefore = serverCpuMs();
    const begun = performance.now();
    // node:http rather than fetch, which would spend the bench's own CPU inflating gzip.
    const { status, firstByte, bytes } = await new Promise<{ status: number; firstByte: number; bytes: number }>((resolve, reject) => {
      const request = http.get(`${base}${org}/activity/export`, { headers: { cookie, "accept-encoding": encoding } }, (response) => {
        const first = performance.now() - begun;
        let received = 0;
        response.on("data", (chunk: Buffer) => (received += chunk.length));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, firstByte: first, bytes: received }));
        response.on("error", reject);
      });
      request.on("error", reject);
    });
    if (status !== 200) problems.push(`export: HTTP ${status}`);
    const total = performance.now() - begun;
    clearInterval(sampler);
    const cpu = (serverCpuMs() ?? NaN) - (cpuBefore ?? NaN);
    const growth = rssBefore === undefined ? "–" : `+${((rssPeak - rssBefore) / 1024 / 1024).toFixed(0)} MB`;
    lines.push(
      `| ${encoding} | ${(firstByte / 1000).toFixed(2)} s | ${(total / 1000).toFixed(1)} s | ${(bytes / 1024 / 1024).toFixed(0)} MB | ${(cpu / 1000).toFixed(1)} s | ${growth} |`,
    );
    if (bytes < (encoding === "gzip" ? ENTRIES : ENTRIES * 50)) problems.push(`export (${encoding}): only ${bytes} bytes`);
  }
  // A download dropped part way (a closed tab) must cancel its COPY and give the connection
  // back: more aborted downloads than the pool has connections, then the page must still answer.
  for (let i = 0; i < 12; i++) {
    await new Promise<void>((resolve, reject) => {
      const request = http.get(`${base}${org}/activity/export`, { headers: { cookie } }, (response) => {
        let received = 0;
        response.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > 1_000_000) {
            request.destroy();
            resolve();
          }
        });
        response.on("end", () => resolve());
      });
      request.on("error", (error) => (request.destroyed ? resolve() : reject(error)));
    });
  }
  const probe = await openDatabase({ url: url!, maxConnections: 1 });
  const openCopies = async () =>
    (
      (await probe.db.execute(
        sql`select count(*)::int as n from pg_stat_activity where query ilike 'copy (%' and state <> 'idle' and pid <> pg_backend_pid()`,
      )) as unknown as { n: number }[]
    )[0]!.n;
  const seen: number[] = [];
  for (let second = 0; second < 30; second++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    seen.push(await openCopies());
    if (seen.at(-1) === 0) break;
  }
  console.error(`COPY statements open, second by second after the aborts: ${seen.join(" ")}`);
  const copies = { n: seen.at(-1)! };
  await probe.close();
  const afterAborts = await fetch(`${base}${org}/activity/export`, { headers: { cookie }, signal: AbortSignal.timeout(60_000) });
  const rest = await afterAborts.arrayBuffer();
  lines.push(
    `\nAfter 12 downloads dropped at 1 MB: ${copies?.n ?? "?"} COPY statements still open; a full download then: HTTP ${afterAborts.status}, ${(rest.byteLength / 1024 / 1024).toFixed(0)} MB`,
  );
  if (copies?.n) problems.push(`export: ${copies.n} COPY statements still open after dropped downloads`);
  return lines;
}

started = performance.now();
const exportLines = !only || only.includes("export") ? await measureExport() : [];
const results: { page: Measure; floor: Measure }[] = [];
for (const target of targets.filter((t) => !only || only.includes(t.key))) {
  console.error(`Measuring ${target.label}…`);
  const floorRun = await measure(floor);
  results.push({ floor: floorRun, page: await measure(target) });
}
await stopServer();

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? "–" : `${value.toFixed(value < 10 ? 1 : 0)} ms`);
const floors = results.map((r) => r.floor).sort((a, b) => a.rps - b.rps);
const medianFloor = floors[Math.floor(floors.length / 2)];
console.log(
  `\n${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, Node ${process.version}, PostgreSQL (throw-away, fsync off); ` +
    `${CONNECTIONS} connections, ${DURATION} s a page, the floor measured before each page; ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
);
console.log("| page | req/s | p50 | p95 | server CPU / req | HTML | gzip | × floor |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
const line = (m: Measure, ratio: string) =>
  console.log(
    `| ${m.target.label} | ${m.rps.toFixed(1)} | ${ms(m.p50)} | ${ms(m.p95)} | ${ms(m.cpuPerRequest)} | ${kb(m.html)} | ${kb(m.gzip)} | ${ratio} |`,
  );
for (const { page, floor: floorRun } of results) line(page, (page.rps / floorRun.rps).toFixed(2));
if (medianFloor) line(medianFloor, `1.00 (median of ${floors.length} runs)`);
if (exportLines.length) {
  console.log(`\nCSV export of all ${ENTRIES.toLocaleString("en")} entries over HTTP (bytes as sent: gzip when asked)\n`);
  console.log("| encoding asked | first byte | total | bytes | server CPU | server RSS growth |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const exportLine of exportLines) console.log(exportLine);
}

if (profileDir) {
  const profiles = readdirSync(profileDir).filter((name) => name.endsWith(".cpuprofile"));
  for (const name of profiles)
    console.log(`\nCPU profile ${path.join(profileDir, name)}\n${summarizeCpuProfile(path.join(profileDir, name))}`);
}
if (problems.length) {
  console.error(`\nERRORS:\n- ${problems.join("\n- ")}`);
  process.exit(1);
}

// `npm run bench`: seeds a throw-away PostgreSQL with 1,000,000 activity entries in
// one org (plus 100 other orgs with 2,000 each) and an org of 10,000 members, then
// times the domain functions the pages call (server time, in process) and streams
// the CSV export of all 1,000,000 entries while sampling memory.
import os from "node:os";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";

import { exportActivitiesCsv } from "@/lib/activity/export";
import { listActivities } from "@/lib/activity/feed";
import { encodeKeysetCursor } from "@/lib/core/keyset-cursor";
import { listMembers } from "@/lib/orgs/members";

import { openDatabase } from "../db/client";

const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!url) throw new Error("Set BENCH_DATABASE_URL (npm run bench starts a throw-away PostgreSQL and sets it).");
const BIG = 1_000_000;
const OTHER_ORGS = 100;
const PER_OTHER = 2_000;
const MEMBERS = 10_000;
const RUNS = 40;

const database = await openDatabase({ url, maxConnections: 4 });
const { db } = database;
await database.migrate();

async function seed() {
  const started = performance.now();
  await db.execute(sql`
    insert into users (id, email, name, password_hash)
    select ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'user-' || g || '@bench.test', 'User ' || g, 'x'
    from generate_series(1, ${sql.raw(String(MEMBERS))}) g`);
  await db.execute(sql`
    insert into organizations (id, name, plan) values
      ('10000000-0000-4000-8000-000000000000', 'bench-activity', 'enterprise'),
      ('20000000-0000-4000-8000-000000000000', 'bench-members', 'enterprise')`);
  await db.execute(sql`
    insert into organizations (id, name)
    select ('30000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'bench-other-' || g from generate_series(1, ${sql.raw(String(OTHER_ORGS))}) g`);
  await db.execute(sql`
    insert into memberships (org_id, user_id, joined_at)
    select '20000000-0000-4000-8000-000000000000', id, now() - make_interval(secs => row_number() over (order by id)) from users`);
  await db.execute(sql`
    insert into memberships (org_id, user_id, role)
    select '10000000-0000-4000-8000-000000000000', ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
      -- Admins: exporting the activity needs activity.export (members may not).
      'admin'
    from generate_series(1, 20) g`);
  const types = [
    "organization.renamed",
    "member.joined",
    "member.left",
    "member.removed",
    "invitation.sent",
    "invitation.resent",
    "invitation.removed",
    "invitation.declined",
  ];
  const typeArray = sql.raw(`array[${types.map((t) => `'${t}'`).join(",")}]`);
  // BENCH_METADATA=1: every entry carries metadata, as a role change does (the export's worst case).
  const metadata =
    process.env.BENCH_METADATA === "1"
      ? sql.raw(`jsonb_build_object('name', 'User ' || g, 'from', 'member', 'to', 'admin')`)
      : sql.raw(`'{}'::jsonb`);
  const insertActivities = (orgExpr: string, count: number, seriesStart: number) => sql`
    insert into activities (org_id, type, actor_user_id, actor_name, actor_email, target_type, target_id, target_label, ip, user_agent, metadata, created_at)
    select ${sql.raw(orgExpr)}, (${typeArray})[1 + (g % ${sql.raw(String(types.length))})],
      ('00000000-0000-4000-8000-' || lpad(to_hex(1 + (g % 20)), 12, '0'))::uuid, 'User ' || (1 + (g % 20)), 'user-' || (1 + (g % 20)) || '@bench.test',
      'invitation', g::text, 'guest-' || g || '@example.test', '127.0.0.1', 'bench', ${metadata},
      now() - make_interval(secs => (${sql.raw(String(BIG))} - g) * 30)
    from generate_series(${sql.raw(String(seriesStart))}, ${sql.raw(String(seriesStart + count - 1))}) g`;
  for (let start = 1; start <= BIG; start += 250_000) {
    await db.execute(insertActivities("'10000000-0000-4000-8000-000000000000'::uuid", 250_000, start));
  }
  await db.execute(sql`
    insert into activities (org_id, type, actor_name, created_at)
    select o.id, 'organization.renamed', 'Someone', now() - make_interval(secs => g)
    from organizations o, generate_series(1, ${sql.raw(String(PER_OTHER))}) g where o.name like 'bench-other-%'`);
  await db.execute(sql`analyze`);
  return performance.now() - started;
}

async function time(label: string, work: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const pick = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { label, median: pick(0.5), p95: pick(0.95), max: samples.at(-1)! };
}

const seedMs = await seed();
const viewer = "00000000-0000-4000-8000-000000000001"; // a member of both bench orgs
const [deep] = (await db.execute(sql`
  select created_at::text as at, id from activities where org_id = '10000000-0000-4000-8000-000000000000'
  order by created_at desc, id desc offset 900000 limit 1`)) as unknown as { at: string; id: number }[];
const deepCursor = encodeKeysetCursor({ at: deep!.at, id: Number(deep!.id) });
const actor = "00000000-0000-4000-8000-000000000007";

const results = [
  await time("activity: first page (50 of 1,000,000)", () => listActivities(db, viewer, { name: "bench-activity" })),
  await time("activity: page after entry 900,000", () => listActivities(db, viewer, { name: "bench-activity" }, { cursor: deepCursor })),
  await time("activity: filtered by one type", () => listActivities(db, viewer, { name: "bench-activity" }, { types: ["member.left"] })),
  await time("activity: filtered by actor", () => listActivities(db, viewer, { name: "bench-activity" }, { actorId: actor })),
  await time("activity: 2 types + actor + 30-day range", () =>
    listActivities(
      db,
      viewer,
      { name: "bench-activity" },
      {
        types: ["member.left", "invitation.sent"],
        actorId: actor,
        from: new Date(Date.now() - 30 * 86400_000),
        to: new Date(),
      },
    ),
  ),
  await time("members: first page (50 of 10,000)", () => listMembers(db, viewer, { name: "bench-members" })),
  await time("members: search 'user-77'", () => listMembers(db, viewer, { name: "bench-members" }, { query: "user-77" })),
];

// CSV export of every entry, consumed as a client would, with memory sampled.
global.gc?.();
const baseline = process.memoryUsage();
let peakRss = baseline.rss;
let peakHeap = baseline.heapUsed;
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  peakRss = Math.max(peakRss, now.rss);
  peakHeap = Math.max(peakHeap, now.heapUsed);
}, 50);
const exportStarted = performance.now();
let bytes = 0;
let rows = -1;
for await (const chunk of await exportActivitiesCsv(db, viewer, { name: "bench-activity" }, {})) {
  bytes += chunk.byteLength;
  // The seeded fields hold no line breaks, so each LF ends a record.
  for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) rows++;
}
const exportMs = performance.now() - exportStarted;
clearInterval(sampler);

const mb = (value: number) => `${(value / 1024 / 1024).toFixed(0)} MB`;
console.log(
  `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, ${mb(os.totalmem())} RAM, Node ${process.version}, PostgreSQL (throw-away, fsync off)`,
);
console.log(
  `Seeded ${BIG.toLocaleString("en")} + ${(OTHER_ORGS * PER_OTHER).toLocaleString("en")} entries and ${MEMBERS.toLocaleString("en")} members in ${(seedMs / 1000).toFixed(1)} s\n`,
);
console.log("| query (server time, in process) | median | p95 | max |");
console.log("|---|---:|---:|---:|");
for (const r of results) console.log(`| ${r.label} | ${r.median.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.max.toFixed(1)} ms |`);
console.log(
  `\nCSV export: ${rows.toLocaleString("en")} rows, ${mb(bytes)} in ${(exportMs / 1000).toFixed(1)} s; ` +
    `peak heap ${mb(peakHeap)} (baseline ${mb(baseline.heapUsed)}), peak RSS ${mb(peakRss)} (baseline ${mb(baseline.rss)}, +${mb(peakRss - baseline.rss)})` +
    (exportMs < 5000 && peakRss - baseline.rss < 50 * 1024 * 1024 ? " — within target (< 5 s, < 50 MB)" : " — OVER TARGET (5 s, 50 MB)"),
);
const slow = results.filter((r) => r.median > (r.label.startsWith("members") ? 100 : 50));
console.log(
  slow.length
    ? `\nOVER TARGET: ${slow.map((r) => r.label).join("; ")}`
    : "\nAll medians within target (activity < 50 ms, members < 100 ms).",
);
await database.close();

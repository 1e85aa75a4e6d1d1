import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { copyOut } from "@/db";
import { activities } from "@/db/schema";
import { copyStatement, crlfRecords, exportActivitiesCsv, exportInBatches } from "@/lib/activity/export";
import { parseActivityFilters, type ActivityFilters } from "@/lib/activity/filters";
import { ACTIVITY_TYPES } from "@/lib/activity/types";

import { parseCsv } from "../helpers/csv";
import { setupTestDatabase, testDbKind } from "../helpers/db";
import { seedOrg, seedUser, type SeededUser } from "../helpers/seed";

/**
 * On PostgreSQL the export is a COPY formatted by SQL; on PGlite (and as the
 * reference here) it is formatted in Node. Same data, same bytes.
 */
const t = setupTestDatabase();

async function bytesOf(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const all: Buffer[] = [];
  for await (const chunk of chunks) all.push(Buffer.from(chunk));
  return Buffer.concat(all);
}

async function* rechunked(whole: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < whole.length; at += size) yield whole.subarray(at, at + size);
}

// Values that CSV quoting, formula defusing, NULL handling or encoding could each get wrong.
const TEXTS: (string | null)[] = [
  null,
  "",
  "plain",
  "a,b",
  'say "hi"',
  '"',
  '""',
  "line\nbreak",
  "crlf\r\nline",
  "bare\rcr",
  "\n",
  "ends with newline\n",
  "=1+2",
  "+SUM(A1)",
  "-2+3",
  "@cmd",
  "\ttab first",
  "\rcr first",
  "'already quoted",
  " =space then equals",
  '=HYPERLINK("http://evil")',
  "\\.",
  "back\\slash \\N",
  "NULL",
  "semi;colon|pipe",
  "日本語のテキスト",
  "emoji 👩‍💻 and 🇫🇷",
  "e\u0301 combining, \u200b zero width, \u202e rtl",
  "مرحبا",
  "tab\tinside",
  "\u0001control",
  "x".repeat(3000),
];

const METADATA: Record<string, unknown>[] = [
  {},
  { from: "old", to: "new" },
  { from: "x,y", to: '"z"' },
  { name: 'Quinn "Q", Jr.', role: "admin" },
  { seats: 250 },
  { valueChanged: true, other: false, nothing: null },
  { negative: -3, fraction: 1.5, zero: 0 },
  { "key with space": "a: b, c", "": "empty key" },
  { text: 'back\\slash and "quote" and \n newline \t tab \u0001 control / slash' },
  { unicode: "日本 👩‍💻 é", ключ: "значение" },
  { nested: { a: [1, "two", { three: 3 }], b: {} }, list: [] },
  { longerKeyFirst: 1, a: 2, bb: 3 },
  { reason: "=cmd|' /C calc'!A0" },
];

const timestamps = [
  "2024-06-01 12:34:56.123999+00",
  "2024-06-01 12:34:56.999999+00",
  "2024-06-01 12:34:56+00",
  "2024-06-01 12:34:56.000001+00",
  "2024-02-29 23:59:59.5+00",
  "1999-12-31 23:59:59.001+00",
  "1970-01-01 00:00:00+00",
  "2024-03-31 01:30:00+02",
];

let owner: SeededUser;
let orgId: string;
let orgName: string;

describe.runIf(testDbKind() === "postgres")("CSV export on PostgreSQL: COPY, the same bytes as Node's", () => {
  beforeAll(async () => {
    owner = await seedUser(t.db, { name: "Cory Copy" });
    const org = await seedOrg(t.db, owner);
    [orgId, orgName] = [org.id, org.name];
    const types = [...Object.keys(ACTIVITY_TYPES), "custom.unknown_type", "=formula.type", ""];
    const tokens = [null, "", "ci, deploy", "=evil", 'tok "q"', "déploiement"];
    const count = Math.max(types.length, TEXTS.length, METADATA.length) * 4;
    const rows = Array.from({ length: count }, (_, i) => {
      const text = (shift: number) => TEXTS[(i * 7 + shift) % TEXTS.length]!;
      return {
        orgId,
        type: types[i % types.length]!,
        actorUserId: i % 3 === 0 ? null : owner.id,
        actorTokenName: tokens[i % tokens.length]!,
        actorName: text(0) ?? "Nobody",
        actorEmail: text(1),
        targetType: text(2),
        targetId: String(i),
        targetLabel: text(3),
        ip: text(4),
        userAgent: text(5),
        metadata: METADATA[i % METADATA.length]!,
        createdAt: sql`${timestamps[i % timestamps.length]!}::timestamptz - make_interval(secs => ${i * 61})`,
      };
    });
    for (let i = 0; i < rows.length; i += 50) await t.db.insert(activities).values(rows.slice(i, i + 50));
  });

  const filterSets: [string, ActivityFilters][] = [
    ["no filter", {}],
    ["one type", parseActivityFilters({ type: "organization.renamed" })],
    ["several types", parseActivityFilters({ type: ["member.joined", "app.created", "secret.revealed"] })],
    ["an actor", { actorId: "" } as ActivityFilters],
    ["a date range", parseActivityFilters({ from: "2024-05-01", to: "2024-06-01" })],
    ["nobody", { actorId: "00000000-0000-4000-8000-000000000000" }],
  ];

  it.each(filterSets)("%s: COPY's bytes equal the Node formatter's, byte for byte", async (_label, given) => {
    const filters = given.actorId === "" ? { actorId: owner.id } : given;
    const viaCopy = await bytesOf(await exportActivitiesCsv(t.db, owner.id, { name: orgName }, filters));
    const viaNode = await bytesOf(exportInBatches(t.db, orgId, filters));
    expect(copyStatement(orgId, filters), "this export goes through COPY").toBeDefined();
    expect(viaCopy.length).toBeGreaterThan(0);
    // Compared as text first, so a difference prints readably; then as bytes.
    expect(viaCopy.toString("utf8")).toBe(viaNode.toString("utf8"));
    expect(Buffer.compare(viaCopy, viaNode)).toBe(0);
    parseCsv(viaCopy.toString("utf8")); // and it is well-formed RFC 4180
  });

  it("the export covers every kind of value above (so the comparison means something)", async () => {
    const text = (await bytesOf(await exportActivitiesCsv(t.db, owner.id, { name: orgName }, {}))).toString("utf8");
    const records = parseCsv(text);
    const [header, ...rows] = records;
    expect(rows.length).toBeGreaterThan(120);
    const types = new Set(rows.map((r) => r[header!.indexOf("type")]));
    for (const type of Object.keys(ACTIVITY_TYPES)) expect(types.has(type), type).toBe(true);
    expect(text).toContain(`"crlf\r\nline"`);
    expect(text).toContain(`"line\nbreak"`);
    expect(text).toContain(` using API token ci, deploy"`);
    expect(text).toContain(`'=1+2`);
    expect(text).toContain("👩‍💻");
    // Microseconds are cut, not rounded, as JavaScript's Date does.
    expect(text).toMatch(/T\d\d:\d\d:\d\d\.123Z,/);
    expect(text).toMatch(/T\d\d:\d\d:\d\d\.999Z,/);
    // jsonb keeps keys shortest first; JSON.parse and JSON.stringify keep that order.
    expect(text).toContain(`"{""list"":[],""nested"":{""a"":[1,""two"",{""three"":3}],""b"":{}}}"`);
  });

  it("records end with CRLF wherever the chunks split (line breaks inside quotes stay as they are)", async () => {
    const statement = copyStatement(orgId, {})!;
    const raw = await bytesOf(copyOut(t.db, statement)!);
    const whole = await bytesOf(crlfRecords(rechunked(raw, raw.length)));
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      expect(Buffer.compare(await bytesOf(crlfRecords(rechunked(raw, size))), whole), `chunks of ${size}`).toBe(0);
    }
    expect(Buffer.compare(whole, await bytesOf(exportInBatches(t.db, orgId, {})))).toBe(0);
  });

  it("a reader that stops early cancels the COPY, and the connection serves the next query", async () => {
    const big = await seedOrg(t.db, owner);
    await t.db.execute(sql`
      insert into activities (org_id, type, actor_name, target_label, created_at)
      select ${big.id}::uuid, 'app.created', 'Bulk', 'app-' || g, now() - make_interval(secs => g)
      from generate_series(1, 50000) g`);
    for (let round = 0; round < 3; round++) {
      const rows = await exportActivitiesCsv(t.db, owner.id, { id: big.id }, {});
      const first = await rows.next();
      expect(first.done).toBe(false);
      await rows.return(undefined);
    }
    const [row] = (await t.db.execute(sql`select count(*)::int as n from activities where org_id = ${big.id}`)) as unknown as {
      n: number;
    }[];
    expect(row!.n).toBe(50_001);
    const all = await bytesOf(await exportActivitiesCsv(t.db, owner.id, { id: big.id }, {}));
    expect(all.toString("utf8").split("\r\n").length - 2).toBe(50_001);
  });

  it("stopping early cancels a COPY that would run on, at once", async () => {
    const slow = "copy (select g, repeat('x', 2000), pg_sleep(0.01) from generate_series(1, 100000) g) to stdout with (format csv)";
    const started = performance.now();
    const chunks = copyOut(t.db, slow)!;
    expect((await chunks.next()).done).toBe(false);
    await chunks.return(undefined);
    // The whole statement would sleep 1,000 s; the cancel ends it in well under a second.
    expect(performance.now() - started).toBeLessThan(10_000);
    const [row] = (await t.db.execute(
      sql`select count(*)::int as n from pg_stat_activity where query like 'copy (select g, repeat%' and state <> 'idle' and pid <> pg_backend_pid()`,
    )) as unknown as { n: number }[];
    expect(row!.n).toBe(0);
  });

  it("filters it cannot inline safely go to the Node formatter instead", () => {
    expect(copyStatement(orgId, { actorId: "not-a-uuid" })).toBeUndefined();
    expect(copyStatement(orgId, { types: ["app.created", "x'; drop table activities; --" as never] })).toBeUndefined();
    expect(copyStatement(orgId, { from: new Date(Number.NaN) })).toBeUndefined();
    expect(copyStatement("org'--", {})).toBeUndefined();
  });
});

describe.runIf(testDbKind() === "pglite")("CSV export on PGlite", () => {
  it("has no COPY stream: the export is formatted in Node", async () => {
    expect(copyOut(t.db, "copy (select 1) to stdout")).toBeUndefined();
  });
});

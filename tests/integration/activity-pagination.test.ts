import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { activities } from "@/db/schema";
import { ACTIVITY_PAGE_SIZE, listActivities } from "@/lib/activity/feed";
import { parseActivityFilters, type ActivityFilters } from "@/lib/activity/filters";
import { ACTIVITY_TYPES, type ActivityType } from "@/lib/activity/types";
import { encodeKeysetCursor } from "@/lib/core/keyset-cursor";
import { renameOrganization } from "@/lib/orgs/organizations";

import { setupTestDatabase } from "../helpers/db";
import { actorOf, seedOrg, seedUser, type SeededUser } from "../helpers/seed";

const t = setupTestDatabase();

const DAY = 86_400_000_000; // µs
const BASE = Date.UTC(2024, 2, 1) * 1000; // 2024-03-01T00:00:00Z in µs
const TYPES = Object.keys(ACTIVITY_TYPES) as ActivityType[];

/** A time in µs since the epoch, as Postgres reads it (a JS Date would drop the last three digits). */
function pgTime(micros: number): string {
  return `${new Date(Math.floor(micros / 1000)).toISOString().slice(0, 23)}${String(micros % 1000).padStart(3, "0")}Z`;
}

interface Row {
  id: number;
  micros: number;
  type: string;
  actor: string | null;
}

/**
 * ~260 entries over 2024-03-01..05, inserted in a shuffled order (ids say nothing
 * about time): 6 groups of 6 sharing one created_at (id breaks the tie), pairs
 * 1 µs apart, and rows at the very edges of days.
 */
function plan(actors: string[]): Array<Omit<Row, "id">> {
  const micros: number[] = [];
  for (let g = 0; g < 6; g++) for (let k = 0; k < 6; k++) micros.push(BASE + (g % 5) * DAY + 12 * 3600e6 + g * 60e6 + 500_000);
  for (let j = 0; j < 24; j++) micros.push(BASE + (Math.floor(j / 2) % 5) * DAY + 8 * 3600e6 + Math.floor(j / 2) * 1e6 + 123_456 + (j % 2));
  for (const edge of [DAY - 1, DAY - 1, DAY, DAY, 2 * DAY, 3 * DAY - 1, 3 * DAY, 3 * DAY, 4 * DAY - 1, 5 * DAY - 1])
    micros.push(BASE + edge);
  for (let i = micros.length; i < 260; i++) micros.push(BASE + (i % 5) * DAY + ((i * 7_919_993_417) % (DAY - 2)) + 1);
  const rows = micros.map((at, i) => ({ micros: at, type: TYPES[i % TYPES.length]!, actor: actors[i % actors.length]! as string | null }));
  rows[7]!.actor = null; // an actor since deleted
  // Deterministic shuffle, so insertion (id) order differs from time order.
  let seed = 42;
  for (let i = rows.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return rows;
}

/** What a failure says: the database's own message (Drizzle puts it in `cause`). */
function threw(error: unknown): string {
  const cause = (error as { cause?: Error }).cause;
  return `threw: ${(cause ?? (error as Error)).message.split("\n")[0]}`;
}

/** Newest first: created_at desc, then id desc. */
const order = (a: Row, b: Row) => b.micros - a.micros || b.id - a.id;

let owner: SeededUser;
let other: SeededUser;
let orgName: string;
let orgId: string;
let rows: Row[];

async function insertRows(planned: Array<Omit<Row, "id">>, target = orgId): Promise<Row[]> {
  const inserted = await t.db
    .insert(activities)
    .values(
      planned.map((row, i) => ({
        orgId: target,
        type: row.type,
        actorUserId: row.actor,
        actorName: "Seeded",
        targetId: String(i),
        createdAt: sql`${pgTime(row.micros)}::timestamptz`,
      })),
    )
    .returning({ id: activities.id, targetId: activities.targetId });
  return inserted.map(({ id, targetId }) => ({ id, ...planned[Number(targetId)]! }));
}

/** The org's entries as stored, created_at exact to the µs (extract(epoch) is numeric), newest first. */
async function storedRows(): Promise<Row[]> {
  const stored = await t.db
    .select({
      id: activities.id,
      type: activities.type,
      actor: activities.actorUserId,
      micros: sql<string>`(extract(epoch from ${activities.createdAt}) * 1000000)::bigint::text`,
    })
    .from(activities)
    .where(sql`${activities.orgId} = ${orgId}`);
  return stored.map((row) => ({ ...row, micros: Number(row.micros) })).sort(order);
}

beforeAll(async () => {
  [owner, other] = await Promise.all([seedUser(t.db, { name: "Paula Pager" }), seedUser(t.db)]);
  const org = await seedOrg(t.db, owner);
  [orgName, orgId] = [org.name, org.id];
  const inserted = await insertRows(plan([owner.id, other.id, randomUUID()]));
  rows = await storedRows();
  // The database read every planned time to the microsecond.
  const stored = new Map(rows.map((row) => [row.id, row.micros]));
  expect(inserted.filter((row) => stored.get(row.id) !== row.micros)).toEqual([]);
});

/** Walks every page; `between` runs after each page fetch. Checks page sizes and the last page. */
async function walk(filters: ActivityFilters, limit = ACTIVITY_PAGE_SIZE, between?: (page: number, lastId: number) => Promise<void>) {
  const ids: number[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listActivities(t.db, owner.id, { name: orgName }, { ...filters, cursor, limit });
    pages += 1;
    expect(page.entries.length).toBeLessThanOrEqual(limit);
    if (page.nextCursor) expect(page.entries.length, "only the last page is short").toBe(limit);
    ids.push(...page.entries.map((e) => e.id));
    cursor = page.nextCursor;
    if (cursor && between) await between(pages, page.entries.at(-1)!.id);
    expect(pages).toBeLessThan(100);
  } while (cursor);
  return { ids, pages };
}

const expected = (keep: (row: Row) => boolean = () => true) => rows.filter(keep).map((row) => row.id);

describe("keyset pagination of the activity stream", () => {
  it("pages of 50 return every entry exactly once, newest first, ties broken by id, µs respected", async () => {
    expect(rows.length).toBe(261);
    const { ids, pages } = await walk({});
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expected());
    expect(pages).toBe(Math.ceil(261 / 50));
  });

  it("other page sizes (1, 7, 36, 200) give the same sequence", async () => {
    for (const limit of [7, 36, 200]) expect((await walk({}, limit)).ids, `limit ${limit}`).toEqual(expected());
    expect((await walk({ types: ["member.left"] }, 1)).ids).toEqual(expected((r) => r.type === "member.left"));
  });

  it("entries written while paging (newer, or tied with the page edge) never repeat or shift an entry", async () => {
    const byId = new Map(rows.map((row) => [row.id, row]));
    const added: number[] = [];
    const { ids } = await walk({}, 50, async (page, lastId) => {
      // Newer entries, the way the app writes them (now()), and a real change.
      added.push(...(await insertRows([{ micros: Date.now() * 1000, type: "member.joined", actor: other.id }])).map((r) => r.id));
      if (page === 2) {
        orgName = (await renameOrganization(t.db, actorOf(owner), { org: { name: orgName }, newName: `${orgName.slice(0, 20)}-p${page}` }))
          .name;
      }
      // Same created_at as the page's last entry, higher id: sorts above the edge, so it is not owed to this walk.
      added.push(...(await insertRows([{ micros: byId.get(lastId)!.micros, type: "member.left", actor: other.id }])).map((r) => r.id));
    });
    expect(new Set(ids).size, "no entry twice").toBe(ids.length);
    expect(ids).toEqual(expected());

    // A fresh walk sees everything, old and new (and the rename), once each and in order.
    rows = await storedRows();
    expect(rows.length).toBe(261 + added.length + 1);
    expect((await walk({})).ids).toEqual(expected());
  });

  describe("filters return exactly the matching entries", () => {
    const inDays = (from: number, to: number) => (row: Row) => row.micros >= BASE + from * DAY && row.micros < BASE + (to + 1) * DAY;
    const cases: Array<[string, Record<string, string | string[]>, (row: Row) => boolean]> = [
      ["one type", { type: "invitation.sent" }, (r) => r.type === "invitation.sent"],
      [
        "several types",
        { type: ["member.left", "invitation.sent,organization.created"] },
        (r) => ["member.left", "invitation.sent", "organization.created"].includes(r.type),
      ],
      ["an unknown type next to a known one", { type: "member.left,nope.nope" }, (r) => r.type === "member.left"],
      ["an actor", { actor: "ACTOR" }, (r) => r.actor === "ACTOR"],
      ["from a day on", { from: "2024-03-04" }, (r) => r.micros >= BASE + 3 * DAY],
      ["to a day, inclusive of its last microsecond", { to: "2024-03-03" }, (r) => r.micros < BASE + 3 * DAY],
      ["from..to", { from: "2024-03-02", to: "2024-03-03" }, inDays(1, 2)],
      ["a single day", { from: "2024-03-01", to: "2024-03-01" }, inDays(0, 0)],
      ["from after to: nothing", { from: "2024-03-04", to: "2024-03-02" }, () => false],
      [
        "type + actor + dates",
        { type: ["member.joined", "member.left"], actor: "ACTOR", from: "2024-03-02", to: "2024-03-04" },
        (r) => ["member.joined", "member.left"].includes(r.type) && r.actor === "ACTOR" && inDays(1, 3)(r),
      ],
    ];
    it.each(cases)("%s", async (_, params, keep) => {
      const resolved = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === "ACTOR" ? other.id : v]));
      const match = (row: Row) => keep({ ...row, actor: row.actor === other.id ? "ACTOR" : row.actor });
      const want = expected(match);
      expect(want.length, "the case selects something, or is meant to select nothing").toBeGreaterThanOrEqual(
        _.includes("nothing") ? 0 : 1,
      );
      expect((await walk(parseActivityFilters(resolved), 50)).ids).toEqual(want);
    });

    it("the day edges are where they should be (control of the seeded data)", () => {
      const edge = rows.filter((r) => r.micros === BASE + 3 * DAY - 1);
      expect(edge.length).toBeGreaterThan(0);
      expect(rows.filter((r) => r.micros === BASE + 3 * DAY).length).toBeGreaterThanOrEqual(2);
    });
  });

  describe("a garbage or tampered cursor starts from the top, without an error", () => {
    const firstPage = async (cursor: unknown) =>
      (await listActivities(t.db, owner.id, { name: orgName }, { cursor, limit: 5 })).entries.map((e) => e.id);

    it("garbage and wrongly typed cursors", async () => {
      const top = await firstPage(undefined);
      const cursors: unknown[] = [
        "",
        "garbage",
        "%%%not-base64%%%",
        "x".repeat(5000),
        42,
        null,
        {},
        ["a"],
        encodeKeysetCursor({}),
        encodeKeysetCursor({ at: 5, id: 1 }),
        encodeKeysetCursor({ at: "2024-03-02 00:00:00+00", id: "7" }),
        encodeKeysetCursor({ at: "2024-03-02 00:00:00+00", id: 1.5 }),
        encodeKeysetCursor({ at: "2024-03-02 00:00:00+00", id: 2 ** 60 }),
        encodeKeysetCursor({ at: "yesterday", id: 1 }),
        encodeKeysetCursor({ at: "2024-03-02 00:00:00+00'); drop table activities; --", id: 1 }),
        encodeKeysetCursor({ at: "2999-01-01 00:00:00+00", id: 1 }),
      ];
      for (const cursor of cursors) expect(await firstPage(cursor), JSON.stringify(cursor)?.slice(0, 80)).toEqual(top);
    });

    it("a cursor whose time has the right shape but is not a real time (month 13, Feb 30, 25 h, year 0)", async () => {
      const top = await firstPage(undefined);
      const times = ["2024-13-45 25:61:61+00", "2024-02-30 00:00:00+00", "2024-03-01 25:00:00+00", "0000-01-01 00:00:00+00"];
      const results: Record<string, unknown> = {};
      for (const at of times) results[at] = await firstPage(encodeKeysetCursor({ at, id: 1 })).catch(threw);
      expect(results).toEqual(Object.fromEntries(times.map((at) => [at, top])));
    });
  });

  it("well-formed but extreme dates in the filters neither crash nor match wrongly", async () => {
    const all = expected();
    const ranges = [
      ["0001-01-01", "9998-12-31"],
      ["0000-01-01", undefined],
      [undefined, "9999-12-31"],
    ] as const;
    const results: Record<string, unknown> = {};
    for (const [from, to] of ranges) {
      results[`from=${from} to=${to}`] = await walk(parseActivityFilters({ from, to }), 200).then((walked) => walked.ids, threw);
    }
    expect(results).toEqual(Object.fromEntries(ranges.map(([from, to]) => [`from=${from} to=${to}`, all])));
  });
});

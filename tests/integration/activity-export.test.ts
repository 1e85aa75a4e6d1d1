import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { activities } from "@/db/schema";
import { exportActivitiesCsv } from "@/lib/activity/export";
import { describeActivity } from "@/lib/activity/feed";
import { parseActivityFilters, type ActivityFilters } from "@/lib/activity/filters";
import { renameOrganization } from "@/lib/orgs/organizations";

import { activitiesOf } from "../helpers/activity";
import { collectChunks, parseCsv } from "../helpers/csv";
import { setupTestDatabase } from "../helpers/db";
import { actorOf, seedOrg, seedUser, type SeededUser } from "../helpers/seed";

const t = setupTestDatabase();

const HEADER = "time_utc,type,sentence,actor_name,actor_email,api_token,target_type,target,ip,user_agent,metadata";
const BULK = 1_105; // more than one batch of 1,000
const BASE = Date.UTC(2024, 4, 1); // 2024-05-01, ms

let owner: SeededUser;
let orgName: string;
let orgId: string;

async function exportOf(filters: ActivityFilters = {}) {
  const chunks = await collectChunks(await exportActivitiesCsv(t.db, owner.id, { name: orgName }, filters));
  const text = chunks.join("");
  return { chunks, text, records: parseCsv(text) };
}

async function* toIterable<T>(items: T[]) {
  yield* items;
}

const column = (name: string) => HEADER.split(",").indexOf(name);

/** Bulk entries, one a minute going back from BASE, labelled bulk-0000 (newest) … */
beforeAll(async () => {
  owner = await seedUser(t.db, { name: "Erin Exporter" });
  const org = await seedOrg(t.db, owner);
  [orgName, orgId] = [org.name, org.id];
  const rows = Array.from({ length: BULK }, (_, i) => ({
    orgId,
    type: i % 3 === 0 ? "invitation.sent" : i % 3 === 1 ? "member.joined" : "member.left",
    actorUserId: owner.id,
    actorName: owner.name,
    actorEmail: owner.email,
    targetType: "user",
    targetLabel: `bulk-${String(i).padStart(4, "0")}`,
    createdAt: new Date(BASE - i * 60_000),
  }));
  for (let i = 0; i < rows.length; i += 500) await t.db.insert(activities).values(rows.slice(i, i + 500));
});

describe("CSV export of the activity stream", () => {
  it("a header line, then one record per entry, newest first, streamed (more than 1000 entries → more than one chunk)", async () => {
    const { chunks, text, records } = await exportOf();
    const entries = await activitiesOf(t.db, orgId);

    expect(text.startsWith(`${HEADER}\r\n`)).toBe(true);
    expect(chunks.length).toBeGreaterThan(1);
    if (t.kind === "pglite") {
      // Formatted in Node: the header, then a chunk per keyset batch of 1000.
      expect(chunks[0]).toBe(`${HEADER}\r\n`);
      expect(chunks.length, "header + a chunk per batch of 1000").toBe(1 + Math.ceil(entries.length / 1000));
      for (const chunk of chunks.slice(1)) expect(chunk.endsWith("\r\n")).toBe(true);
    }
    expect(records[0]).toEqual(HEADER.split(","));
    expect(records.length).toBe(1 + entries.length);
    for (const record of records) expect(record).toHaveLength(HEADER.split(",").length);

    // Newest first: organization.created (now), then bulk-0000, bulk-0001, …
    expect(records[1]![column("type")]).toBe("organization.created");
    expect(records.slice(2).map((r) => r[column("target")])).toEqual(
      Array.from({ length: BULK }, (_, i) => `bulk-${String(i).padStart(4, "0")}`),
    );
    expect(records[2]![column("time_utc")]).toBe(new Date(BASE).toISOString());
    expect(records[2]).toEqual([
      new Date(BASE).toISOString(),
      "invitation.sent",
      "Invited a new member to the organization",
      owner.name,
      owner.email,
      "",
      "user",
      "bulk-0000",
      "",
      "",
      "",
    ]);
  });

  it("filters apply: types, actor, date range (to inclusive)", async () => {
    const byType = (await exportOf(parseActivityFilters({ type: "member.left" }))).records.slice(1);
    expect(byType.length).toBe(Math.floor(BULK / 3));
    expect(byType.every((r) => r[column("type")] === "member.left")).toBe(true);

    // BASE is 2024-05-01 00:00: every bulk entry but the first (1,104 minutes back) falls on 2024-04-30.
    const day = (await exportOf(parseActivityFilters({ from: "2024-04-30", to: "2024-04-30" }))).records.slice(1);
    expect(day.map((r) => r[column("target")])).toEqual(
      Array.from({ length: BULK - 1 }, (_, i) => `bulk-${String(i + 1).padStart(4, "0")}`),
    );
    expect((await exportOf(parseActivityFilters({ to: "2024-04-30" }))).records.length - 1).toBe(BULK - 1);
    expect(
      (await exportOf(parseActivityFilters({ from: "2024-05-01", to: "2024-05-01" }))).records.slice(1).map((r) => r[column("target")]),
    ).toEqual(["bulk-0000"]);

    const nobody = await exportOf({ actorId: "00000000-0000-4000-8000-000000000000" });
    expect(nobody.text).toBe(`${HEADER}\r\n`);
  });

  it("fields with commas, quotes and newlines are quoted; a leading = + - @ is defused with '", async () => {
    const user = await seedUser(t.db, { name: 'Quinn "Q" Quote, Jr.' });
    const org = await seedOrg(t.db, user);
    const labels = ['a,"b"\nc', "=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "plain", 'a "quoted" word', "semi;colon", "crlf\r\nline"];
    await t.db.insert(activities).values(
      labels.map((label, i) => ({
        orgId: org.id,
        type: "organization.renamed",
        actorUserId: user.id,
        actorName: user.name,
        actorEmail: user.email,
        actorTokenName: i === 0 ? "ci, deploy" : null,
        targetType: "organization",
        targetLabel: label,
        metadata: i === 0 ? { from: "x,y", to: '"z"' } : {},
        ip: "2001:db8::1",
        userAgent: i === 1 ? '=HYPERLINK("http://evil")' : "Mozilla/5.0 (X11; Linux x86_64)",
        createdAt: sql`'2024-06-01 00:00:00+00'::timestamptz - make_interval(secs => ${i})`,
      })),
    );
    const raw = (await collectChunks(await exportActivitiesCsv(t.db, user.id, { name: org.name }, {}))).join("");
    const own = parseCsv(raw);
    const rows = own.slice(1).filter((r) => r[column("type")] === "organization.renamed");
    const defuse = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
    expect(rows.map((r) => r[column("target")])).toEqual(labels.map(defuse));

    expect(raw).toContain(`"a,""b""\nc"`);
    expect(raw).toContain(`,'=1+2,`);
    expect(raw).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(rows[0]![column("actor_name")]).toBe('Quinn "Q" Quote, Jr.');
    expect(rows[0]![column("api_token")]).toBe("ci, deploy");
    expect(rows[0]![column("sentence")]).toBe(describeActivity({ type: "organization.renamed", actorTokenName: "ci, deploy" }));
    expect(JSON.parse(rows[0]![column("metadata")]!)).toEqual({ from: "x,y", to: '"z"' });
    expect(rows[1]![column("user_agent")]).toBe(`'=HYPERLINK("http://evil")`);
    expect(rows[2]![column("ip")]).toBe("2001:db8::1");
    // No field of any record starts with a formula character.
    for (const record of own) for (const field of record) expect(field, field).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("an entry written between two batches neither repeats nor drops a row", async () => {
    const before = (await activitiesOf(t.db, orgId)).length;
    const rows = await exportActivitiesCsv(t.db, owner.id, { name: orgName }, {});
    const first = await rows.next();
    const second = await rows.next();
    expect(first.done || second.done).toBe(false);
    // Between batches, a new (newer) entry arrives; the export carries on from its cursor.
    orgName = (await renameOrganization(t.db, actorOf(owner), { org: { name: orgName }, newName: `${orgName.slice(0, 24)}-x` })).name;
    const rest: Uint8Array[] = [];
    for (let next = await rows.next(); !next.done; next = await rows.next()) rest.push(next.value);
    const records = parseCsv((await collectChunks(toIterable([first.value!, second.value!, ...rest]))).join(""));
    const targets = records.slice(1).map((r) => r[column("target")]);
    expect(new Set(targets).size).toBe(targets.length);
    expect(targets.length).toBe(before);
    expect(targets).not.toContain(orgName);
  });
});

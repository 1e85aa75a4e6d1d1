import { randomBytes } from "node:crypto";
import { asc, eq, sql, type SQL } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { memberships, users } from "@/db/schema";
import { ORG_NOT_FOUND } from "@/lib/orgs/access";
import { listMembers, MEMBERS_PAGE_SIZE } from "@/lib/orgs/members";

import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { addMember, seedOrg, seedUser } from "../helpers/seed";

const t = setupTestDatabase();

/**
 * Read-side tests only: members are inserted directly (no password hashing), with
 * the given joined_at. Returns their ids in insertion order.
 */
async function seedMembers(
  orgId: string,
  count: number,
  joinedAt: (i: number) => SQL | Date,
  who = (i: number) => ({ name: `Member ${i}` }),
) {
  const tag = randomBytes(4).toString("hex");
  const rows = await t.db
    .insert(users)
    .values(Array.from({ length: count }, (_, i) => ({ email: `m${i}-${tag}@example.test`, passwordHash: "not-a-hash", ...who(i) })))
    .returning({ id: users.id, email: users.email });
  await t.db.insert(memberships).values(rows.map((row, i) => ({ orgId, userId: row.id, joinedAt: joinedAt(i) })));
  return rows;
}

/** Follows nextCursor to the end; fails instead of looping forever. */
async function walk(userId: string, orgName: string, limit: number, query?: string) {
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await listMembers(t.db, userId, { name: orgName }, { limit, cursor, query });
    seen.push(...page.members.map((m) => m.userId));
    cursor = page.nextCursor;
    if (++pages > 200) throw new Error(`paging did not end after ${pages} pages (${seen.length} rows)`);
  } while (cursor);
  return { seen, pages };
}

/** Every member of the org in (joined_at, user_id) order, straight from the table. */
async function allMemberIds(orgId: string) {
  const rows = await t.db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(memberships.joinedAt), asc(memberships.userId));
  return rows.map((r) => r.userId);
}

async function orgWithOwner() {
  const owner = await seedUser(t.db, { name: "Olga Owner" });
  return { owner, org: await seedOrg(t.db, owner) };
}

describe("listMembers paging (keyset on joined_at, user_id)", () => {
  it("returns each of ~120 members exactly once across pages, ties on joined_at included", async () => {
    const { owner, org } = await orgWithOwner();
    // Groups of three share a joined_at (whole milliseconds), so the user_id tiebreak matters.
    await seedMembers(org.id, 120, (i) => new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 3) * 1000));

    const { seen, pages } = await walk(owner.id, org.name, 25);

    expect(seen).toHaveLength(121);
    expect(new Set(seen).size).toBe(121);
    expect(seen).toEqual(await allMemberIds(org.id));
    expect(pages).toBe(5);
    const first = await listMembers(t.db, owner.id, { name: org.name });
    expect(first.total).toBe(121);
    expect(first.members).toHaveLength(MEMBERS_PAGE_SIZE);
  });

  it("returns each member exactly once when joined_at has microseconds (as now() writes it)", async () => {
    const { owner, org } = await orgWithOwner();
    // Timestamps written by the database keep microseconds; JavaScript dates have milliseconds.
    await seedMembers(
      org.id,
      12,
      (i) => sql`timestamptz '2025-01-01 00:00:00+00' + make_interval(secs => ${i}) + interval '123.456 milliseconds'`,
    );

    const { seen } = await walk(owner.id, org.name, 5);

    expect(seen).toEqual(await allMemberIds(org.id));
  });

  it("pages members who joined the usual way (addMember, joined_at = now()) without repeats", async () => {
    const { owner, org } = await orgWithOwner();
    for (let i = 0; i < 5; i++) {
      const user = await seedUser(t.db);
      await addMember(t.db, user.id, org.id);
    }

    const { seen } = await walk(owner.id, org.name, 2);

    expect(seen).toEqual(await allMemberIds(org.id));
  });

  it("ignores a malformed cursor (first page) and clamps the page size to 1..200", async () => {
    const { owner, org } = await orgWithOwner();
    await seedMembers(org.id, 3, (i) => new Date(Date.UTC(2025, 0, 1) + i * 1000));
    const firstId = (await allMemberIds(org.id))[0];

    for (const cursor of ["garbage", "", 42, Buffer.from('{"joinedAt":"x","userId":"y"}').toString("base64url"), "a".repeat(500)]) {
      const page = await listMembers(t.db, owner.id, { name: org.name }, { cursor, limit: 2 });
      expect(page.members[0]?.userId).toBe(firstId);
    }
    expect((await listMembers(t.db, owner.id, { name: org.name }, { limit: 0 })).members).toHaveLength(1);
    expect((await listMembers(t.db, owner.id, { name: org.name }, { limit: -5 })).members).toHaveLength(1);
    expect((await listMembers(t.db, owner.id, { name: org.name }, { limit: 10_000 })).members).toHaveLength(4);
  });
});

describe("listMembers search", () => {
  it("matches name or email, case-insensitively, and counts only the matches", async () => {
    const { owner, org } = await orgWithOwner();
    const names = [`Zoë Quartermain`, `Ada Lovelace`, `Grace Hopper`];
    const seeded = await seedMembers(
      org.id,
      3,
      (i) => new Date(Date.UTC(2025, 0, 1) + i * 1000),
      (i) => ({ name: names[i]! }),
    );
    const [zoe, ada] = seeded;

    const byName = await listMembers(t.db, owner.id, { name: org.name }, { query: "QUARTERMAIN" });
    expect(byName.members.map((m) => m.userId)).toEqual([zoe!.id]);
    expect(byName.total).toBe(1);

    const byEmail = await listMembers(t.db, owner.id, { name: org.name }, { query: ada!.email.toUpperCase() });
    expect(byEmail.members.map((m) => m.userId)).toEqual([ada!.id]);
    expect(byEmail.members[0]).toMatchObject({ name: "Ada Lovelace", email: ada!.email });

    expect((await listMembers(t.db, owner.id, { name: org.name }, { query: "  hopper  " })).members.map((m) => m.name)).toEqual([
      "Grace Hopper",
    ]);
    expect((await listMembers(t.db, owner.id, { name: org.name }, { query: "nobody-like-this" })).members).toEqual([]);
    expect((await listMembers(t.db, owner.id, { name: org.name }, { query: "" })).total).toBe(4);
  });

  it("treats % and _ (and backslash) literally", async () => {
    const { owner, org } = await orgWithOwner();
    const names = ["100% Real", "under_score", "underXscore", "back\\slash", "plain"];
    await seedMembers(
      org.id,
      names.length,
      (i) => new Date(Date.UTC(2025, 0, 1) + i * 1000),
      (i) => ({ name: names[i]! }),
    );
    const search = async (query: string) =>
      (await listMembers(t.db, owner.id, { name: org.name }, { query })).members.map((m) => m.name).sort();

    expect(await search("%")).toEqual(["100% Real"]);
    expect(await search("_")).toEqual(["under_score"]);
    expect(await search("r_s")).toEqual(["under_score"]);
    expect(await search("\\")).toEqual(["back\\slash"]);
    // Control: an ordinary substring still finds both underscore-ish names.
    expect(await search("score")).toEqual(["underXscore", "under_score"]);
  });

  it("pages within the search results", async () => {
    const { owner, org } = await orgWithOwner();
    const ids = await seedMembers(
      org.id,
      30,
      (i) => new Date(Date.UTC(2025, 0, 1) + i * 1000),
      (i) => ({ name: i % 2 ? `Odd ${i}` : `Even ${i}` }),
    );

    const { seen } = await walk(owner.id, org.name, 4, "odd");

    expect(seen).toEqual(ids.filter((_, i) => i % 2).map((r) => r.id));
  });
});

describe("listMembers access", () => {
  it("answers not_found to a non-member, the same as for a missing org; a member sees the list", async () => {
    const { owner, org } = await orgWithOwner();
    const outsider = await seedUser(t.db);
    await seedOrg(t.db, outsider);

    const error = await expectAppError(listMembers(t.db, outsider.id, { name: org.name }), "not_found");
    expect(error.message).toBe(ORG_NOT_FOUND);
    await expectAppError(listMembers(t.db, outsider.id, { name: `${org.name}-missing` }), "not_found");
    const page = await listMembers(t.db, owner.id, { name: org.name.toUpperCase() });
    expect(page.members.map((m) => m.userId)).toEqual([owner.id]);
    expect(page.members[0]).toMatchObject({ name: "Olga Owner", email: owner.email });
  });
});

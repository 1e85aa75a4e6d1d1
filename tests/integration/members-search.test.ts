import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";

import { memberships, users } from "@/db/schema";
import { ORG_NOT_FOUND } from "@/lib/orgs/access";
import { listMembers, searchMembers } from "@/lib/orgs/members";

import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { seedOrg, seedUser } from "../helpers/seed";

const t = setupTestDatabase();

/** Members inserted directly (read-side test: no password hashing), joined one minute apart. */
async function seedMembers(orgId: string, count: number) {
  const tag = randomBytes(4).toString("hex");
  const rows = await t.db
    .insert(users)
    .values(
      Array.from({ length: count }, (_, i) => ({ email: `m${i}-${tag}@example.test`, name: `Member ${i}`, passwordHash: "not-a-hash" })),
    )
    .returning({ id: users.id, email: users.email });
  await t.db
    .insert(memberships)
    .values(rows.map((row, i) => ({ orgId, userId: row.id, joinedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000) })));
  return rows;
}

describe("the actor search of the activity page (searchMembers, GET /orgs/NAME/members/search)", () => {
  it("finds a member past the 200th (the old dropdown's limit) by name or e-mail, names starting with the query first", async () => {
    const owner = await seedUser(t.db, { name: "Owner Zed" });
    const org = await seedOrg(t.db, owner);
    const members = await seedMembers(org.id, 260);
    const late = members[250]!;
    // The first 200 members (the old dropdown) do not include the 251st.
    expect((await listMembers(t.db, owner.id, { name: org.name }, { limit: 200 })).members.map((m) => m.userId)).not.toContain(late.id);

    const byName = await searchMembers(t.db, owner.id, { name: org.name }, { query: "member 250" });
    expect(byName.map((m) => m.userId)).toEqual([late.id]);
    const byEmail = await searchMembers(t.db, owner.id, { name: org.name }, { query: late.email.toUpperCase() });
    expect(byEmail).toEqual([{ userId: late.id, name: "Member 250", email: late.email }]);

    // At most 10 by default.
    const many = await searchMembers(t.db, owner.id, { name: org.name }, { query: "member 2" });
    expect(many).toHaveLength(10);
    expect(many.every((m) => m.name.startsWith("Member 2"))).toBe(true);
    const owners = await searchMembers(t.db, owner.id, { name: org.name }, { query: "owner" });
    expect(owners.map((m) => m.userId)).toEqual([owner.id]);
    // LIKE wildcards are searched for, not obeyed.
    expect(await searchMembers(t.db, owner.id, { name: org.name }, { query: "%" })).toEqual([]);
  });

  it("a non-member gets not_found (the route answers 404), a member of another org too; a member gets answers", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    await seedMembers(org.id, 3);
    const stranger = await seedUser(t.db);
    await seedOrg(t.db, stranger);
    expect((await expectAppError(searchMembers(t.db, stranger.id, { name: org.name }, { query: "member" }), "not_found")).message).toBe(
      ORG_NOT_FOUND,
    );
    await expectAppError(searchMembers(t.db, stranger.id, { id: org.id }, { query: "" }), "not_found");
    // Positive control: the owner finds them.
    expect(await searchMembers(t.db, owner.id, { name: org.name }, { query: "member" })).toHaveLength(3);
  });
});

import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { invitations } from "@/db/schema";
import { describeActivity } from "@/lib/activity/feed";
import type { Role } from "@/lib/shared/roles";

import { activitiesOf } from "../helpers/activity";
import { callApi, seedApiToken } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import { emailsTo } from "../helpers/mail";
import { addMember, membershipCount, seedOrg, seedUser, uniqueEmail } from "../helpers/seed";

const t = setupTestDatabase();

/** Olga owns the org; Tom joins as `teammateRole` (a member unless said). */
async function orgOfTwo(teammateRole: Role = "member") {
  const [owner, teammate] = await Promise.all([seedUser(t.db, { name: "Olga Owner" }), seedUser(t.db, { name: "Tom Teammate" })]);
  const org = await seedOrg(t.db, owner);
  await addMember(t.db, teammate.id, org.id, teammateRole);
  const ownerToken = await seedApiToken(t.db, owner, org, "olga-cli");
  const teammateToken = await seedApiToken(t.db, teammate, org, "tom-cli");
  return { owner, teammate, org, ownerToken, teammateToken };
}

describe("GET /members", () => {
  it("pages with a cursor and searches by name or email", async () => {
    const owner = await seedUser(t.db, { name: "Olga Owner" });
    const org = await seedOrg(t.db, owner);
    const others = [];
    for (const name of ["Bea Baker", "Carl Cook", "Dora Diver"]) {
      const user = await seedUser(t.db, { name });
      await addMember(t.db, user.id, org.id);
      others.push(user);
    }
    const auth = { token: (await seedApiToken(t.db, owner, org)).token };

    const first = await callApi(t.db, "GET", "/members?limit=3", auth);
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(4);
    expect(first.body.data.map((m: { name: string }) => m.name)).toEqual(["Olga Owner", "Bea Baker", "Carl Cook"]);
    expect(first.body.data[0]).toEqual({
      id: owner.id,
      name: "Olga Owner",
      email: owner.email,
      role: "owner",
      joinedAt: expect.any(String),
    });
    expect(first.body.data[1]).toMatchObject({ name: "Bea Baker", role: "member" });
    const second = await callApi(t.db, "GET", `/members?limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}`, auth);
    expect(second.body.data.map((m: { name: string }) => m.name)).toEqual(["Dora Diver"]);
    expect(second.body.nextCursor).toBeNull();

    const byName = await callApi(t.db, "GET", "/members?q=carl", auth);
    expect(byName.body).toMatchObject({ total: 1, data: [{ id: others[1]!.id }] });
    const byEmail = await callApi(t.db, "GET", `/members?q=${encodeURIComponent(others[2]!.email.slice(0, 12))}`, auth);
    expect(byEmail.body.data.map((m: { id: string }) => m.id)).toEqual([others[2]!.id]);
    expect((await callApi(t.db, "GET", "/members?q=%25", auth)).body.total).toBe(0);

    expect((await callApi(t.db, "GET", `/members?q=${"x".repeat(101)}`, auth)).status).toBe(422);
    expect((await callApi(t.db, "GET", "/members?cursor=%%%", auth)).status).toBe(422);
  });
});

describe("DELETE /members/{id}", () => {
  it("removes another member at once; their token stops working; the entry names the token used", async () => {
    const { owner, teammate, org, ownerToken, teammateToken } = await orgOfTwo();

    const removed = await callApi(t.db, "DELETE", `/members/${teammate.id}`, { token: ownerToken.token });
    expect(removed.status).toBe(204);
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(1);
    expect((await callApi(t.db, "GET", "/members", { token: teammateToken.token })).status).toBe(401);

    const entry = (await activitiesOf(t.db, org.id)).at(-1)!;
    expect(entry).toMatchObject({
      type: "member.removed",
      actorUserId: owner.id,
      actorTokenName: "olga-cli",
      targetId: teammate.id,
      targetLabel: teammate.email,
    });
    expect(describeActivity(entry)).toBe("Removed a member from the organization using API token olga-cli");
  });

  it("keeps the last member: nobody can remove themselves through the API, and a removed id is gone", async () => {
    const { owner, teammate, org, ownerToken } = await orgOfTwo();
    expect((await callApi(t.db, "DELETE", `/members/${teammate.id}`, { token: ownerToken.token })).status).toBe(204);

    // Olga is now the only member.
    const self = await callApi(t.db, "DELETE", `/members/${owner.id}`, { token: ownerToken.token });
    expect(self.status).toBe(422);
    expect(self.body.error.message).toMatch(/leave the organization instead/);
    expect((await callApi(t.db, "DELETE", `/members/${teammate.id}`, { token: ownerToken.token })).status).toBe(404);
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(1);
    expect((await callApi(t.db, "GET", "/organization", { token: ownerToken.token })).body.memberCount).toBe(1);
  });

  it("two owners removing each other at once: exactly one remains", async () => {
    // Both may remove the other (removing an owner takes an owner); only the lock decides.
    const { owner, teammate, org, ownerToken, teammateToken } = await orgOfTwo("owner");
    const [a, b] = await Promise.all([
      callApi(t.db, "DELETE", `/members/${teammate.id}`, { token: ownerToken.token }),
      callApi(t.db, "DELETE", `/members/${owner.id}`, { token: teammateToken.token }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(204);
    // The loser is no longer a member: refused as a stranger (404) or, if it arrives later, as a dead token (401).
    expect([401, 404]).toContain(statuses[1]);
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(1);
  });
});

describe("invitations", () => {
  it("POST /invitations answers per address and holds the starter plan's 3 seats", async () => {
    const owner = await seedUser(t.db, { name: "Sally Seats" });
    const org = await seedOrg(t.db, owner);
    const auth = { token: (await seedApiToken(t.db, owner, org, "hr-sync")).token };
    const [first, second, third] = [uniqueEmail("seat1"), uniqueEmail("seat2"), uniqueEmail("seat3")];

    const answer = await callApi(t.db, "POST", "/invitations", {
      ...auth,
      json: { emails: [first, second, third, "not-an-email", first.toUpperCase(), owner.email] },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data.map((o: { status: string }) => o.status)).toEqual([
      "invited",
      "invited",
      "no_seat",
      "invalid",
      "duplicate",
      "already_member",
    ]);
    expect(answer.body.data[2]).toEqual({ email: third, status: "no_seat", message: expect.stringMatching(/allows 3 members/) });

    const pending = await callApi(t.db, "GET", "/invitations", auth);
    expect(pending.body.data.map((i: { email: string }) => i.email)).toEqual([first, second]);
    expect(pending.body.data[0]).toEqual({
      id: expect.any(String),
      email: first,
      invitedByName: "Sally Seats",
      lastSentAt: expect.any(String),
      expiresAt: expect.any(String),
      expired: false,
      sendCount: 1,
      role: "member",
    });
    expect(await emailsTo(t.db, first, "invitation")).toHaveLength(1);
    expect(await emailsTo(t.db, third, "invitation")).toHaveLength(0);

    // A string works too, and the seats are still full.
    const again = await callApi(t.db, "POST", "/invitations", { ...auth, json: { emails: `${third}, ${first}` } });
    expect(again.body.data.map((o: { status: string }) => o.status)).toEqual(["no_seat", "already_invited"]);

    // Removing an invitation frees its seat.
    expect((await callApi(t.db, "DELETE", `/invitations/${pending.body.data[1].id}`, auth)).status).toBe(204);
    expect((await callApi(t.db, "DELETE", `/invitations/${pending.body.data[1].id}`, auth)).status).toBe(404);
    const freed = await callApi(t.db, "POST", "/invitations", { ...auth, json: { emails: third } });
    expect(freed.body.data).toEqual([{ email: third, status: "invited", message: expect.any(String) }]);

    const entries = (await activitiesOf(t.db, org.id)).filter((e) => e.type.startsWith("invitation."));
    expect(entries.map((e) => e.type)).toEqual(["invitation.sent", "invitation.sent", "invitation.removed", "invitation.sent"]);
    expect(entries.every((e) => e.actorTokenName === "hr-sync")).toBe(true);
    expect(describeActivity(entries[2]!)).toBe("Removed an invitation using API token hr-sync");
  });

  it("answers 422 for a body without 1 to 20 addresses", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    const auth = { token: (await seedApiToken(t.db, owner, org)).token };
    const bodies: unknown[] = [
      {},
      { emails: [] },
      { emails: "" },
      { emails: " , ; " },
      { emails: 42 },
      { emails: [1, 2] },
      { emails: Array.from({ length: 21 }, (_, i) => `p${i}@example.test`) },
      { emails: Array.from({ length: 21 }, (_, i) => `p${i}@example.test`).join(",") },
    ];
    for (const json of bodies) {
      const answer = await callApi(t.db, "POST", "/invitations", { ...auth, json });
      expect(answer.status, JSON.stringify(json).slice(0, 60)).toBe(422);
      expect(Object.keys(answer.body.error.fields), JSON.stringify(json).slice(0, 60)).toEqual(["emails"]);
    }
    expect((await callApi(t.db, "GET", "/invitations", auth)).body.data).toEqual([]);
  });

  it("resend: 429 with Retry-After within the cooldown, then a new link and expiry; 409 when an expired one finds no seat", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    const auth = { token: (await seedApiToken(t.db, owner, org, "resender")).token };
    const email = uniqueEmail("resend");
    await callApi(t.db, "POST", "/invitations", { ...auth, json: { emails: [email] } });
    const [invitation] = (await callApi(t.db, "GET", "/invitations", auth)).body.data;

    const tooSoon = await callApi(t.db, "POST", `/invitations/${invitation.id}/resend`, auth);
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body.error.code).toBe("rate_limited");
    expect(Number(tooSoon.headers.get("retry-after"))).toBeGreaterThan(0);

    await t.db
      .update(invitations)
      .set({ lastSentAt: sql`now() - interval '2 minutes'`, expiresAt: sql`now() + interval '1 day'` })
      .where(eq(invitations.id, invitation.id));
    const resent = await callApi(t.db, "POST", `/invitations/${invitation.id}/resend`, auth);
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ id: invitation.id, email, sendCount: 2, expired: false });
    expect(new Date(resent.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    expect(await emailsTo(t.db, email, "invitation")).toHaveLength(2);
    expect((await activitiesOf(t.db, org.id)).at(-1)).toMatchObject({ type: "invitation.resent", actorTokenName: "resender" });

    // Expired invitations hold no seat; once the seats are taken, renewing one is refused.
    await t.db
      .update(invitations)
      .set({ lastSentAt: sql`now() - interval '8 days'`, expiresAt: sql`now() - interval '1 day'` })
      .where(eq(invitations.id, invitation.id));
    const filled = await callApi(t.db, "POST", "/invitations", { ...auth, json: { emails: [uniqueEmail("fill1"), uniqueEmail("fill2")] } });
    expect(filled.body.data.map((o: { status: string }) => o.status)).toEqual(["invited", "invited"]);
    const noSeat = await callApi(t.db, "POST", `/invitations/${invitation.id}/resend`, auth);
    expect(noSeat.status).toBe(409);
    expect(noSeat.body).toEqual({ error: { code: "limit_reached", message: expect.stringMatching(/allows 3 members/) } });
  });
});

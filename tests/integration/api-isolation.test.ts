import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { invitations } from "@/db/schema";
import { createApp } from "@/lib/apps/apps";
import { inviteMembers, listPendingInvitations } from "@/lib/invitations/invite";
import { createSecret } from "@/lib/secrets/secrets";

import { activitiesOf } from "../helpers/activity";
import { callApi, seedApiToken } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import { actorOf, addMember, membershipCount, seedOrg, seedUser, uniqueEmail } from "../helpers/seed";

const t = setupTestDatabase();

/** An org with one of everything an id can name: app, secret, a second member, a pending invitation. */
async function populatedOrg(label: string) {
  const owner = await seedUser(t.db, { name: `${label} Owner` });
  const teammate = await seedUser(t.db, { name: `${label} Teammate` });
  const org = await seedOrg(t.db, owner);
  await addMember(t.db, teammate.id, org.id);
  const actor = actorOf(owner);
  const app = await createApp(t.db, actor, { org: { name: org.name }, name: "web" });
  const secret = await createSecret(t.db, actor, { org: { name: org.name }, name: "DATABASE_URL", value: `postgres://${label}` });
  await inviteMembers(t.db, actor, { org: { name: org.name }, emails: uniqueEmail(label.toLowerCase()) });
  const [invitation] = await listPendingInvitations(t.db, owner.id, { name: org.name });
  const token = await seedApiToken(t.db, owner, org, `${label.toLowerCase()}-token`);
  return { owner, teammate, org, app, secret, invitation: invitation!, token };
}

describe("a token of org A and the ids of org B", () => {
  it("answers 404 for every id of B, changes nothing in B, and B's own token reaches the same ids", async () => {
    const a = await populatedOrg("Alpha");
    const b = await populatedOrg("Bravo");
    const bEntriesBefore = await activitiesOf(t.db, b.org.id);

    const calls: Array<[string, string, Parameters<typeof callApi>[3]?]> = [
      ["GET", `/apps/${b.app.id}`],
      ["PATCH", `/apps/${b.app.id}`, { json: { name: "stolen" } }],
      ["DELETE", `/apps/${b.app.id}`],
      ["GET", `/secrets/${b.secret.id}`],
      ["PATCH", `/secrets/${b.secret.id}`, { json: { value: "overwritten" } }],
      ["DELETE", `/secrets/${b.secret.id}`],
      ["DELETE", `/members/${b.teammate.id}`],
      ["DELETE", `/members/${b.owner.id}`],
      ["POST", `/invitations/${b.invitation.id}/resend`],
      ["DELETE", `/invitations/${b.invitation.id}`],
    ];
    for (const [method, path, call] of calls) {
      const answer = await callApi(t.db, method, path, { token: a.token.token, ...call });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.error.code, `${method} ${path}`).toBe("not_found");
      expect(answer.text, `${method} ${path} says nothing of B`).not.toMatch(new RegExp(`${b.org.name}|Bravo|postgres://`));
      // The very answer an id that exists nowhere gets.
      const missing = await callApi(t.db, method, path.replace(/[0-9a-f-]{36}/, "00000000-0000-4000-8000-000000000000"), {
        token: a.token.token,
        ...call,
      });
      expect(answer.text, `${method} ${path} vs a missing id`).toBe(missing.text);
    }

    // Nothing in B changed, and nothing was recorded in B's stream.
    expect(await activitiesOf(t.db, b.org.id)).toEqual(bEntriesBefore);
    expect(await membershipCount(t.db, { orgId: b.org.id })).toBe(2);

    // A's lists show only A's objects.
    const lists = await Promise.all(
      ["/apps", "/secrets", "/members", "/invitations", "/activities"].map((path) => callApi(t.db, "GET", path, { token: a.token.token })),
    );
    for (const list of lists) {
      expect(list.status).toBe(200);
      expect(list.text).not.toContain(b.org.id);
      expect(list.text).not.toContain(b.app.id);
      expect(list.text).not.toContain(b.secret.id);
      expect(list.text).not.toContain(b.teammate.id);
      expect(list.text).not.toContain(b.invitation.id);
    }

    // Positive control: B's token reaches every one of those ids.
    const bToken = { token: b.token.token };
    expect((await callApi(t.db, "GET", `/apps/${b.app.id}`, bToken)).body).toMatchObject({ id: b.app.id, name: "web" });
    expect((await callApi(t.db, "PATCH", `/apps/${b.app.id}`, { ...bToken, json: { name: "web-2" } })).body.name).toBe("web-2");
    expect((await callApi(t.db, "GET", `/secrets/${b.secret.id}`, bToken)).body.value).toBe("postgres://Bravo");
    expect((await callApi(t.db, "PATCH", `/secrets/${b.secret.id}`, { ...bToken, json: { value: "rotated" } })).status).toBe(200);
    await t.db
      .update(invitations)
      .set({ lastSentAt: sql`now() - interval '2 minutes'` })
      .where(eq(invitations.id, b.invitation.id));
    const resent = await callApi(t.db, "POST", `/invitations/${b.invitation.id}/resend`, bToken);
    expect(resent.body).toMatchObject({ id: b.invitation.id, email: b.invitation.email, sendCount: 2 });
    expect((await callApi(t.db, "DELETE", `/invitations/${b.invitation.id}`, bToken)).status).toBe(204);
    expect((await callApi(t.db, "DELETE", `/members/${b.teammate.id}`, bToken)).status).toBe(204);
    expect((await callApi(t.db, "DELETE", `/secrets/${b.secret.id}`, bToken)).status).toBe(204);
    expect((await callApi(t.db, "DELETE", `/apps/${b.app.id}`, bToken)).status).toBe(204);
    expect(await membershipCount(t.db, { orgId: b.org.id })).toBe(1);

    // And A's objects were never touched.
    expect((await callApi(t.db, "GET", `/apps/${a.app.id}`, { token: a.token.token })).body.name).toBe("web");
    expect((await callApi(t.db, "GET", `/secrets/${a.secret.id}`, { token: a.token.token })).body.value).toBe("postgres://Alpha");
  });

  it("malformed ids are plain 404s too", async () => {
    const a = await populatedOrg("Charlie");
    const malformed = [
      "not-a-uuid",
      "1",
      "%27%20or%201%3D1--",
      "x".repeat(100),
      "-".repeat(36),
      `${a.app.id.slice(0, -1)}-`,
      a.app.id.replaceAll("-", ""),
    ];
    for (const id of malformed) {
      for (const [method, path] of [
        ["GET", `/apps/${id}`],
        ["DELETE", `/secrets/${id}`],
        ["DELETE", `/members/${id}`],
        ["POST", `/invitations/${id}/resend`],
      ] as const) {
        const answer = await callApi(t.db, method, path, { token: a.token.token });
        expect(answer.status, `${method} ${path}`).toBe(404);
      }
    }
    expect((await callApi(t.db, "GET", `/apps/${a.app.id.toUpperCase()}`, { token: a.token.token })).status).toBe(200);
    // Over 100 characters: refused by the path schema (422), never looked up.
    expect((await callApi(t.db, "GET", `/apps/${"x".repeat(101)}`, { token: a.token.token })).status).toBe(422);
  });
});

import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { activities, invitations, memberships, organizations } from "@/db/schema";

import { seedApiToken } from "../helpers/api";
import { addMember, membershipCount, seedUser, uniqueEmail, uniqueOrgName } from "../helpers/seed";
import { callAction, request, sleep, startStack, type Answer, type Stack } from "./harness";
import { expectDeliveredOnce, seedOwner, signIn } from "./helpers";

/*
 * The rules that count (seats, last owner, single accept, 5 organizations) and the
 * per-user state (sessions, rate limits, the activity feed) with requests spread
 * over two app instances that share one PostgreSQL through PgBouncer (transaction
 * pooling). Each request goes to instance A or B in turn; parallel ones really
 * overlap, in two processes on separate connections.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

/** Instance A for even `i`, B for odd. */
const app = (i: number) => stack.apps[i % stack.apps.length]!;

function statuses(answers: Answer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return counts;
}

describe("the stack", () => {
  it("PgBouncer pools in transaction mode, and both instances and the worker connect through it", async () => {
    const config = await stack.bouncer.admin("SHOW CONFIG");
    expect(config.find((row) => row.key === "pool_mode")?.value).toBe("transaction");
    // Every process under test has its pool on PgBouncer: at least one client connection each.
    const clients = await stack.bouncer.admin("SHOW CLIENTS");
    expect(clients.filter((c) => c.database === stack.databaseName).length).toBeGreaterThanOrEqual(3);
  });
});

describe("limits hold over two instances", () => {
  it("seats: 20 parallel invitations to a Starter org with 2 free seats invite exactly 2, and their e-mails arrive once", async () => {
    const { org, token } = await seedOwner(stack.database.db);
    expect(org.plan).toBe("starter"); // 3 seats: the owner and 2 more
    const addresses = Array.from({ length: 20 }, (_, i) => uniqueEmail(`seat${i}`));

    const answers = await Promise.all(
      addresses.map((email, i) => request(app(i).url, "POST", "/api/v1/invitations", { token, json: { emails: [email] } })),
    );

    expect(statuses(answers), answers.map((a) => a.text).join("\n")).toEqual({ 200: 20 });
    const outcomes = answers.map((a) => a.body.data[0].status as string);
    expect(outcomes.filter((s) => s === "invited")).toHaveLength(2);
    expect(outcomes.filter((s) => s === "no_seat")).toHaveLength(18);
    const pending = await stack.database.db.select().from(invitations).where(eq(invitations.orgId, org.id));
    expect(pending).toHaveLength(2);
    // Both instances served some of the requests, and the worker (through PgBouncer) delivered the two e-mails.
    const invited = addresses.filter((_, i) => outcomes[i] === "invited");
    await expectDeliveredOnce(stack, invited);
  });

  it("last owner: 6 owners removing each other in parallel leave exactly one owner, never an empty org", async () => {
    const db = stack.database.db;
    const { owner, org, token } = await seedOwner(db);
    const owners = [{ user: owner, token }];
    for (let i = 0; i < 5; i++) {
      const user = await seedUser(db, { email: uniqueEmail(`co-owner${i}`) });
      await addMember(db, user.id, org.id, "owner");
      owners.push({ user, token: (await seedApiToken(db, user, org)).token });
    }

    // Every owner removes every other owner, all at once, spread over A and B.
    const calls = owners.flatMap((actor) => owners.filter((target) => target !== actor).map((target) => ({ actor, target })));
    const answers = await Promise.all(
      calls.map(({ actor, target }, i) => request(app(i).url, "DELETE", `/api/v1/members/${target.user.id}`, { token: actor.token })),
    );

    // Each answer is a removal (204) or a refusal (401: the caller was removed meanwhile; 404: the target was; 409: last owner).
    for (const answer of answers) expect([204, 401, 404, 409], answer.text).toContain(answer.status);
    expect(answers.filter((a) => a.status === 204)).toHaveLength(5);
    const left = await db.select().from(memberships).where(eq(memberships.orgId, org.id));
    expect(left).toHaveLength(1);
    expect(left[0]!.role).toBe("owner");
    const removed = await db
      .select()
      .from(activities)
      .where(and(eq(activities.orgId, org.id), eq(activities.type, "member.removed")));
    expect(removed).toHaveLength(5);
  });

  it("single accept: 10 parallel accepts of one invitation (server action, both instances) make one membership", async () => {
    const db = stack.database.db;
    const { org, token } = await seedOwner(db);
    const invitee = await seedUser(db, { email: uniqueEmail("invitee") });
    const invite = await request(app(0).url, "POST", "/api/v1/invitations", { token, json: { emails: [invitee.email] } });
    expect(invite.body.data[0].status).toBe("invited");
    const [invitation] = await db.select().from(invitations).where(eq(invitations.orgId, org.id));
    const cookie = await signIn(app(1).url, invitee);

    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        callAction(app(i).url, "/onboarding", "acceptInvitationAction", { invitationId: invitation!.id }, cookie),
      ),
    );

    for (const answer of answers) expect(answer.status, answer.text.slice(0, 500)).toBe(200);
    expect(answers.filter((a) => a.state?.ok === true)).toHaveLength(1);
    expect(answers.filter((a) => a.state?.ok === false)).toHaveLength(9);
    expect(await membershipCount(db, { orgId: org.id, userId: invitee.id })).toBe(1);
    const [after] = await db.select().from(invitations).where(eq(invitations.id, invitation!.id));
    expect(after!.status).toBe("accepted");
    const joined = await db
      .select()
      .from(activities)
      .where(and(eq(activities.orgId, org.id), eq(activities.type, "member.joined")));
    expect(joined).toHaveLength(1);
  });

  it("5 organizations: 8 parallel creations by one user (server action, both instances) create exactly 5", async () => {
    const db = stack.database.db;
    const user = await seedUser(db, { email: uniqueEmail("creator") });
    const cookie = await signIn(app(0).url, user);

    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        callAction(app(i).url, "/orgs/new", "createOrganizationAction", { name: uniqueOrgName(`p${i}`) }, cookie),
      ),
    );

    for (const answer of answers) expect(answer.status, answer.text.slice(0, 500)).toBe(200);
    expect(answers.filter((a) => a.state?.ok === true)).toHaveLength(5);
    const refused = answers.filter((a) => a.state?.ok === false);
    expect(refused).toHaveLength(3);
    for (const answer of refused) expect(answer.state?.formError ?? answer.state?.message).toMatch(/5 organizations/);
    expect(await membershipCount(db, { userId: user.id })).toBe(5);
    const owned = await db
      .select()
      .from(organizations)
      .innerJoin(memberships, eq(memberships.orgId, organizations.id))
      .where(eq(memberships.userId, user.id));
    expect(owned).toHaveLength(5);
  });
});

describe("per-user state is shared by the instances", () => {
  it("a session made on A works on B (and on A), and no cookie is refused on both", async () => {
    const { owner, org } = await seedOwner(stack.database.db);
    const cookie = await signIn(app(0).url, owner);
    for (const instance of stack.apps) {
      const feed = await request(instance.url, "GET", `/orgs/${org.name}/activity/feed`, { cookie });
      expect(feed.status, `${instance.name}: ${feed.text}`).toBe(200);
      expect(feed.body.entries.map((e: { type: string }) => e.type)).toContain("organization.created");
      const anonymous = await request(instance.url, "GET", `/orgs/${org.name}/activity/feed`);
      expect(anonymous.status).toBe(401);
    }
  });

  it("sign-in attempts count across instances: failures spread over A and B hit the limit at the combined count", async () => {
    const db = stack.database.db;
    const user = await seedUser(db, { email: uniqueEmail("guess") });
    // A fixed 15-minute window: start well inside one, so the count cannot roll over midway.
    for (;;) {
      const [row] = await stack.sql<{ s: number }[]>`SELECT (extract(epoch from now())::int % 900) AS s`;
      if (row!.s < 880) break;
      await sleep(1000);
    }
    const wrong = { email: user.email, password: "not the password at all" };
    const limit = 10; // SIGN_IN_LIMIT_PER_ACCOUNT's default
    for (let i = 0; i < limit; i++) {
      const answer = await callAction(app(i).url, "/sign-in", "signInAction", wrong);
      expect(answer.state?.formError, `attempt ${i + 1} on ${app(i).name}`).toBe("Invalid email or password.");
    }
    // The next attempt is refused on either instance, each having seen only half of them, even with the right password.
    for (let i = 0; i < 2; i++) {
      const answer = await callAction(app(i).url, "/sign-in", "signInAction", wrong);
      expect(answer.state?.formError, app(i).name).toMatch(/Too many sign-in attempts/);
      const right = await callAction(app(i).url, "/sign-in", "signInAction", { email: user.email, password: user.password });
      expect(right.state?.formError, app(i).name).toMatch(/Too many sign-in attempts/);
      expect(right.cookie ?? "").not.toMatch(/session-token/);
    }
  });

  it("live activity: the feed read from B shows at once a change made through A", async () => {
    const { owner, org, token } = await seedOwner(stack.database.db);
    const cookie = await signIn(app(1).url, owner);
    const before = await request(app(1).url, "GET", `/orgs/${org.name}/activity/feed`, { cookie });
    expect(before.status).toBe(200);
    expect(before.body.entries.map((e: { type: string }) => e.type)).not.toContain("invitation.sent");

    const email = uniqueEmail("live");
    const invite = await request(app(0).url, "POST", "/api/v1/invitations", { token, json: { emails: [email] } });
    expect(invite.body.data[0].status).toBe("invited");

    // No waiting: the change committed before A answered, and B reads the same database.
    const after = await request(app(1).url, "GET", `/orgs/${org.name}/activity/feed`, { cookie });
    expect(after.status).toBe(200);
    const newest = after.body.entries[0];
    expect(newest.type).toBe("invitation.sent");
    expect(newest.targetLabel).toBe(email);
  });
});

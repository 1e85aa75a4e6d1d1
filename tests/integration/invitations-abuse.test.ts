import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { organizations, users } from "@/db/schema";
import { env } from "@/lib/core/env";
import { inviteMembers, listPendingInvitations, resendInvitation } from "@/lib/invitations/invite";
import { createOrganization, deleteOrganization } from "@/lib/orgs/organizations";

import { callApi, seedApiToken } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { emailsTo, latestEmailTo } from "../helpers/mail";
import { awayFromWindowEdge } from "../helpers/rate-limit";
import { actorOf, addMember, seedOrg, seedUser, uniqueEmail, uniqueIp, uniqueOrgName } from "../helpers/seed";

/*
 * A new account sent 100 invitations in 17 seconds by deleting and re-creating an
 * org (the daily limit was per org), with a URL in the subject through its display
 * name. Creating an org and inviting need a verified address; invitations are also
 * limited per inviting user and per IP, counted apart from any org; the subject
 * carries no free text of the inviter. Limits lowered for this file (lib/env.ts
 * parses the environment once per file, before the first test reads it).
 */
const PER_USER = 4;
const PER_IP = 6;
const t = setupTestDatabase();

beforeAll(() => {
  vi.stubEnv("INVITES_PER_USER_PER_DAY", String(PER_USER));
  vi.stubEnv("INVITES_PER_IP_PER_DAY", String(PER_IP));
});
afterAll(() => vi.unstubAllEnvs());
beforeEach(() => awayFromWindowEdge(86400));

const addresses = (n: number, prefix: string) => Array.from({ length: n }, () => uniqueEmail(prefix)).join(" ");
/** Enterprise: no seat limit, so only the limits under test can refuse. */
const noSeatLimit = (orgId: string) => t.db.update(organizations).set({ plan: "enterprise" }).where(eq(organizations.id, orgId));
const unverify = (userId: string) => t.db.update(users).set({ emailVerifiedAt: null }).where(eq(users.id, userId));

describe("a verified e-mail address is required", () => {
  it("to create an organization; once verified, the same account can", async () => {
    const user = await seedUser(t.db, { verified: false });
    const name = uniqueOrgName("unverified");
    const error = await expectAppError(createOrganization(t.db, actorOf(user), { name }), "forbidden");
    expect(error.message).toMatch(/verify your email address/i);
    expect(await t.db.$count(organizations, eq(organizations.name, name))).toBe(0);

    await t.db
      .update(users)
      .set({ emailVerifiedAt: sql`now()` })
      .where(eq(users.id, user.id));
    await expect(createOrganization(t.db, actorOf(user), { name })).resolves.toMatchObject({ name });
  });

  it("to invite or resend, in the console and through the API; a verified member can", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    await noSeatLimit(org.id);
    const invited = uniqueEmail("first");
    await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: invited });
    const [pending] = await listPendingInvitations(t.db, owner.id, { name: org.name });
    // An admin (who may invite): only the unverified address stands in the way.
    const member = await seedUser(t.db);
    await addMember(t.db, member.id, org.id, "admin");
    const { token } = await seedApiToken(t.db, member, org);
    await unverify(member.id);

    const error = await expectAppError(
      inviteMembers(t.db, actorOf(member), { org: { name: org.name }, emails: uniqueEmail("nope") }),
      "forbidden",
    );
    expect(error.message).toMatch(/verify your email address/i);
    await expectAppError(resendInvitation(t.db, actorOf(member), { org: { name: org.name }, invitationId: pending!.id }), "forbidden");
    const api = await callApi(t.db, "POST", "/invitations", { token, json: { emails: [uniqueEmail("api")] } });
    expect(api.status).toBe(403);
    expect(api.body.error.message).toMatch(/verify your email address/i);
    expect(await listPendingInvitations(t.db, owner.id, { name: org.name })).toHaveLength(1);

    const again = await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: uniqueEmail("second") });
    expect(again.map((o) => o.status)).toEqual(["invited"]);
  });
});

describe("invitation limits that no org deletion resets", () => {
  it("takes the lowered limits from the environment", () => {
    expect(env().INVITES_PER_USER_PER_DAY).toBe(PER_USER);
    expect(env().INVITES_PER_IP_PER_DAY).toBe(PER_IP);
  });

  it(`per inviting user (${PER_USER} a day): deleting and re-creating the org does not start again`, async () => {
    const user = await seedUser(t.db);
    const actor = actorOf(user);
    const first = await createOrganization(t.db, actor, { name: uniqueOrgName("spam") });
    await noSeatLimit(first.id);
    const sent = await inviteMembers(t.db, actor, { org: { name: first.name }, emails: addresses(3, "wave1") });
    expect(sent.map((o) => o.status)).toEqual(["invited", "invited", "invited"]);
    await deleteOrganization(t.db, actor, { org: { name: first.name } });

    const second = await createOrganization(t.db, actorOf(user), { name: uniqueOrgName("spam") });
    await noSeatLimit(second.id);
    const outcomes = await inviteMembers(t.db, actorOf(user), { org: { name: second.name }, emails: addresses(3, "wave2") });
    expect(outcomes.map((o) => o.status)).toEqual(["invited", "rate_limited", "rate_limited"]);
    expect(outcomes[1]!.message).toBe(`You sent your ${PER_USER} invitations for today. Try again tomorrow.`);
    // Another user of the org (an admin, who may invite) is not held back by it.
    const teammate = await seedUser(t.db);
    await addMember(t.db, teammate.id, second.id, "admin");
    expect(
      (await inviteMembers(t.db, actorOf(teammate), { org: { name: second.name }, emails: uniqueEmail("teammate") })).map((o) => o.status),
    ).toEqual(["invited"]);
  });

  it(`per IP (${PER_IP} a day), across accounts and orgs`, async () => {
    const ip = uniqueIp();
    const [a, b] = [await seedUser(t.db), await seedUser(t.db)];
    const [orgA, orgB] = [await seedOrg(t.db, a), await seedOrg(t.db, b)];
    await Promise.all([noSeatLimit(orgA.id), noSeatLimit(orgB.id)]);
    expect(
      (await inviteMembers(t.db, actorOf(a, { ip }), { org: { name: orgA.name }, emails: addresses(3, "ip-a") })).every(
        (o) => o.status === "invited",
      ),
    ).toBe(true);
    expect(
      (await inviteMembers(t.db, actorOf(b, { ip }), { org: { name: orgB.name }, emails: addresses(3, "ip-b") })).every(
        (o) => o.status === "invited",
      ),
    ).toBe(true);
    const [refused] = await inviteMembers(t.db, actorOf(b, { ip }), { org: { name: orgB.name }, emails: uniqueEmail("ip-c") });
    expect(refused).toMatchObject({
      status: "rate_limited",
      message: "Too many invitations were sent from your network today. Try again tomorrow.",
    });
    // From another network, an account within its own limit still can.
    const [fine] = await inviteMembers(t.db, actorOf(a, { ip: uniqueIp() }), { org: { name: orgA.name }, emails: uniqueEmail("ip-d") });
    expect(fine!.status).toBe("invited");
  });

  it("a resend counts against the inviting user too", async () => {
    const user = await seedUser(t.db);
    const org = await seedOrg(t.db, user);
    await noSeatLimit(org.id);
    await inviteMembers(t.db, actorOf(user), { org: { name: org.name }, emails: addresses(PER_USER, "resend") });
    const [invitation] = await listPendingInvitations(t.db, user.id, { name: org.name });
    // Past the resend cool-down.
    await t.db.execute(sql`update invitations set last_sent_at = now() - interval '1 hour' where id = ${invitation!.id}`);
    const error = await expectAppError(
      resendInvitation(t.db, actorOf(user), { org: { name: org.name }, invitationId: invitation!.id }),
      "rate_limited",
    );
    expect(error.message).toBe(`You sent your ${PER_USER} invitations for today. Try again tomorrow.`);
  });
});

describe("the invitation e-mail", () => {
  it("keeps the inviter's display name out of the subject", async () => {
    const owner = await seedUser(t.db, { name: "Win a prize at http://evil.example" });
    const org = await seedOrg(t.db, owner);
    const to = uniqueEmail("subject");
    await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: to });
    const mail = await latestEmailTo(t.db, to, "invitation");
    expect(mail.subject).toBe(`You're invited to join ${org.name} on Console`);
    expect(mail.subject).not.toContain("evil");
    // The body names the inviter, escaped, as before.
    expect(mail.text).toContain("Win a prize at http://evil.example invited you");
    expect(await emailsTo(t.db, to)).toHaveLength(1);
  });
});

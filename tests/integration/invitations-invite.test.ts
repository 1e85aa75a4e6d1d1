import { randomBytes } from "node:crypto";
import { and, count, eq, like, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { emails, invitations, organizations, rateLimits } from "@/db/schema";
import { pgErrorCode, UNIQUE_VIOLATION } from "@/lib/core/errors";
import { inviteMembers, listPendingInvitations, MAX_EMAILS_PER_INVITE } from "@/lib/invitations/invite";
import type { PlanId } from "@/lib/shared/plans";

import { activitiesOf } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { emailsTo, latestEmailTo } from "../helpers/mail";
import { actorOf, addMember, seedOrg, seedUser, uniqueEmail } from "../helpers/seed";

const t = setupTestDatabase();

async function pendingCount(orgId: string, email?: string) {
  const [row] = await t.db
    .select({ value: count() })
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.status, "pending"), email ? eq(invitations.email, email) : undefined));
  return row?.value ?? 0;
}

/** A starter org whose only member is the owner; `plan` changes it with SQL. */
async function orgOf(plan?: PlanId, ownerName = "Olga Owner") {
  const owner = await seedUser(t.db, { name: ownerName });
  const org = await seedOrg(t.db, owner);
  if (plan) await t.db.update(organizations).set({ plan }).where(eq(organizations.id, org.id));
  return { owner, org };
}

describe("inviteMembers outcomes", () => {
  it("answers already_member for a member, and invites the other address of the same request", async () => {
    const { owner, org } = await orgOf();
    const member = await seedUser(t.db);
    await addMember(t.db, member.id, org.id);
    const fresh = uniqueEmail("fresh");

    const outcomes = await inviteMembers(t.db, actorOf(owner), {
      org: { name: org.name },
      emails: `${member.email.toUpperCase()}, ${fresh}`,
    });

    expect(outcomes.map((o) => o.status)).toEqual(["already_member", "invited"]);
    expect(await pendingCount(org.id, member.email)).toBe(0);
    expect(await pendingCount(org.id, fresh)).toBe(1);
    expect(await emailsTo(t.db, member.email, "invitation")).toHaveLength(0);
  });

  it("answers already_invited the second time, without a second row or e-mail", async () => {
    const { owner, org } = await orgOf();
    const email = uniqueEmail("twice");

    expect((await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: email }))[0]?.status).toBe("invited");
    const [second] = await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: email.toUpperCase() });

    expect(second).toMatchObject({ email, status: "already_invited" });
    expect(second?.message).toMatch(/resend/i);
    expect(await pendingCount(org.id, email)).toBe(1);
    expect(await emailsTo(t.db, email, "invitation")).toHaveLength(1);
  });

  it("cannot hold two pending invitations for one address even by direct insert (partial unique index)", async () => {
    const { owner, org } = await orgOf();
    const email = uniqueEmail("dup");
    await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: email });
    const row = (hash: string, status?: "removed") => ({
      orgId: org.id,
      email,
      tokenHash: hash,
      invitedByName: "x",
      expiresAt: sql`now() + interval '7 days'`,
      ...(status ? { status } : {}),
    });

    const error = await t.db
      .insert(invitations)
      .values(row(randomBytes(32).toString("hex")))
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(pgErrorCode(error)).toBe(UNIQUE_VIOLATION);
    expect(await pendingCount(org.id, email)).toBe(1);
    // Control: a non-pending row for the same address is allowed (the index is partial).
    await t.db.insert(invitations).values(row(randomBytes(32).toString("hex"), "removed"));
  });

  it("answers per address in a bulk invite: invalid, duplicate, already member, invited", async () => {
    const { owner, org } = await orgOf("enterprise");
    const member = await seedUser(t.db);
    await addMember(t.db, member.id, org.id);
    const [a, b] = [uniqueEmail("bulk-a"), uniqueEmail("bulk-b")];
    const typed = `${a}, not-an-email\n${a.toUpperCase()};  ${member.email}\t${b} , @nope.test`;

    const outcomes = await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: typed });

    expect(outcomes.map((o) => [o.email, o.status])).toEqual([
      [a, "invited"],
      ["not-an-email", "invalid"],
      [a, "duplicate"],
      [member.email, "already_member"],
      [b, "invited"],
      ["@nope.test", "invalid"],
    ]);
    for (const o of outcomes) expect(o.message.length).toBeGreaterThan(5);
    expect((await listPendingInvitations(t.db, owner.id, { name: org.name })).map((i) => i.email).sort()).toEqual([a, b].sort());
    expect(await emailsTo(t.db, a, "invitation")).toHaveLength(1);
    expect((await activitiesOf(t.db, org.id)).filter((e) => e.type === "invitation.sent")).toHaveLength(2);
  });

  it(`refuses more than ${MAX_EMAILS_PER_INVITE} addresses (validation) and writes nothing; 20 are fine`, async () => {
    const { owner, org } = await orgOf("enterprise");
    const prefix = `many-${randomBytes(4).toString("hex")}`;
    const list = (n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}@example.test`).join(", ");
    const entries = (await activitiesOf(t.db, org.id)).length;

    const error = await expectAppError(inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: list(21) }), "validation");
    expect(error.message).toMatch(/at most 20/);
    expect(error.fieldErrors.emails?.[0]).toMatch(/21/);
    expect(await pendingCount(org.id)).toBe(0);
    const [sent] = await t.db
      .select({ value: count() })
      .from(emails)
      .where(like(emails.to, `${prefix}-%`));
    expect(sent?.value).toBe(0);
    expect((await activitiesOf(t.db, org.id)).length).toBe(entries);
    expect(
      await t.db
        .select()
        .from(rateLimits)
        .where(eq(rateLimits.key, `invitations:org:${org.id}`)),
    ).toHaveLength(0);

    await expectAppError(inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: " , \n" }), "validation");
    await expectAppError(inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: ["a@example.test"] }), "validation");

    const outcomes = await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: list(20) });
    expect(outcomes.filter((o) => o.status === "invited")).toHaveLength(20);
  });

  it("answers not_found for a non-member, and writes nothing", async () => {
    const { org } = await orgOf();
    const outsider = await seedUser(t.db);
    const email = uniqueEmail("outsider-invite");

    await expectAppError(inviteMembers(t.db, actorOf(outsider), { org: { name: org.name }, emails: email }), "not_found");
    expect(await pendingCount(org.id)).toBe(0);
    expect(await emailsTo(t.db, email)).toHaveLength(0);
  });
});

describe("seats", () => {
  it("starter (3 seats) with 1 member: of 3 addresses, 2 are invited and 1 gets no_seat", async () => {
    const { owner, org } = await orgOf();
    const addresses = [uniqueEmail("seat-1"), uniqueEmail("seat-2"), uniqueEmail("seat-3")];

    const outcomes = await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: addresses.join(" ") });

    expect(outcomes.map((o) => o.status)).toEqual(["invited", "invited", "no_seat"]);
    expect(outcomes[2]?.message).toBe("Your plan allows 3 members. Upgrade your plan or contact support.");
    expect(await pendingCount(org.id)).toBe(2);
    expect(await emailsTo(t.db, addresses[2]!, "invitation")).toHaveLength(0);
    // Still full on a later request.
    expect((await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: uniqueEmail("seat-4") }))[0]?.status).toBe(
      "no_seat",
    );
  });

  it("an org's max_members override raises the limit (and the message says so)", async () => {
    const { owner, org } = await orgOf();
    await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: `${uniqueEmail("o-1")} ${uniqueEmail("o-2")}` });
    await t.db.update(organizations).set({ maxMembers: 5 }).where(eq(organizations.id, org.id));

    const outcomes = await inviteMembers(t.db, actorOf(owner), {
      org: { name: org.name },
      emails: [uniqueEmail("o-3"), uniqueEmail("o-4"), uniqueEmail("o-5")].join(","),
    });

    expect(outcomes.map((o) => o.status)).toEqual(["invited", "invited", "no_seat"]);
    expect(outcomes[2]?.message).toBe("Your plan allows 5 members. Upgrade your plan or contact support.");
    expect(await pendingCount(org.id)).toBe(4);
  });

  it("an expired invitation frees its seat; inviting that address again renews the same row", async () => {
    const { owner, org } = await orgOf();
    const [a, b, c] = [uniqueEmail("exp-a"), uniqueEmail("exp-b"), uniqueEmail("exp-c")];
    await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: `${a} ${b}` });
    await t.db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(and(eq(invitations.orgId, org.id), eq(invitations.email, a)));

    expect((await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: c }))[0]?.status).toBe("invited");
    expect((await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: a }))[0]?.status).toBe("no_seat");
    await t.db
      .update(invitations)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(and(eq(invitations.orgId, org.id), eq(invitations.email, c)));
    expect((await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: a }))[0]?.status).toBe("invited");
    const rows = await t.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.orgId, org.id), eq(invitations.email, a)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "pending", sendCount: 2 });
    expect(rows[0]!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6.9 * 86400_000);
  });
});

describe("the invitation e-mail", () => {
  it("links to APP_URL/invitations/<token> and escapes HTML in the inviter's name", async () => {
    const { owner, org } = await orgOf(undefined, "<script>alert(1)</script> & <b>Mallory</b>");
    const email = uniqueEmail("escape");

    await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: email });

    const mail = await latestEmailTo(t.db, email, "invitation");
    expect(mail.text).toMatch(new RegExp(`http://localhost:3000/invitations/[A-Za-z0-9_-]{43}`));
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<b>Mallory");
    expect(mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(mail.html).toContain(org.name);
    expect(mail.subject).toContain(org.name);
    // Control: the text part carries the name as typed (plain text needs no escaping).
    expect(mail.text).toContain("<script>alert(1)</script>");
  });
});

import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import type { Db } from "@/db";
import { invitations, organizations, users } from "@/db/schema";
import { AppError, pgErrorCode } from "@/lib/core/errors";
import { inviteMembers } from "@/lib/invitations/invite";
import { acceptInvitation } from "@/lib/invitations/respond";

import { activitiesOf } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { emailsTo, invitationToken, linkToken } from "../helpers/mail";
import { actorOf, membershipCount, seedOrg, seedUser, uniqueEmail, type SeededUser } from "../helpers/seed";

/*
 * Parallel requests against one database. On PostgreSQL they really overlap (a pool
 * of 10 connections, row locks decide); PGlite runs transactions one at a time, so
 * there the same tests check the plain logic.
 */
const t = setupTestDatabase();

/** Rejections of settled promises: every one must be an AppError (never a raw driver error). */
function split<T>(results: PromiseSettledResult<T>[]) {
  const fulfilled = results.filter((r) => r.status === "fulfilled");
  const errors = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as unknown);
  for (const error of errors) expect(error, String(error)).toBeInstanceOf(AppError);
  return { fulfilled, errors: errors as AppError[] };
}

/**
 * The test database, counting the transactions lib/ opens and the Postgres errors
 * that aborted them: lib/core/transaction.ts retries deadlocks (40P01) silently, so a
 * deadlock shows up only as an extra attempt.
 */
function countingTransactions(db: Db) {
  const stats = { transactions: 0, aborted: [] as string[] };
  const counted = new Proxy(db, {
    get(target, property) {
      if (property !== "transaction") return Reflect.get(target, property) as unknown;
      return async (...args: Parameters<Db["transaction"]>) => {
        stats.transactions++;
        try {
          return await target.transaction(...args);
        } catch (error) {
          const code = pgErrorCode(error);
          if (code) stats.aborted.push(code);
          throw error;
        }
      };
    },
  });
  return { db: counted, stats };
}

/** A user invited to `count` new orgs (one owner each); the tokens from the e-mails. */
async function invitedToOrgs(joiner: SeededUser, count: number) {
  const hosts = [];
  for (let i = 0; i < count; i++) {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: joiner.email });
    hosts.push(org);
  }
  const tokens = (await emailsTo(t.db, joiner.email, "invitation")).map((mail) => linkToken(mail, "/invitations/"));
  expect(tokens).toHaveLength(count);
  return { hosts, tokens };
}

async function invitationStatuses(orgId: string) {
  const rows = await t.db.select({ status: invitations.status }).from(invitations).where(eq(invitations.orgId, orgId));
  return rows.map((r) => r.status).sort();
}

describe("parallel accepts", () => {
  it("20 parallel accepts of one invitation by the invited user: exactly one membership, 19 AppErrors", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    const email = uniqueEmail("double");
    await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: email });
    const invitee = await seedUser(t.db, { email });
    const token = await invitationToken(t.db, email);

    const results = await Promise.allSettled(Array.from({ length: 20 }, () => acceptInvitation(t.db, actorOf(invitee), { token })));

    const { fulfilled, errors } = split(results);
    expect(fulfilled).toHaveLength(1);
    expect(errors).toHaveLength(19);
    for (const error of errors) expect(error.code).toBe("conflict");
    expect(await membershipCount(t.db, { orgId: org.id, userId: invitee.id })).toBe(1);
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(2);
    expect(await invitationStatuses(org.id)).toEqual(["accepted"]);
    expect((await activitiesOf(t.db, org.id)).filter((a) => a.type === "member.joined")).toHaveLength(1);
  });

  it("10 parallel accepts of different invitations with 2 seats left: exactly 2 join, 8 limit_reached", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    await t.db.update(organizations).set({ maxMembers: 20 }).where(eq(organizations.id, org.id));
    const invitees: SeededUser[] = await Promise.all(
      Array.from({ length: 10 }, (_, i) => seedUser(t.db, { email: uniqueEmail(`seat${i}`) })),
    );
    const outcomes = await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: invitees.map((u) => u.email).join(",") });
    expect(outcomes.every((o) => o.status === "invited")).toBe(true);
    const tokens = await Promise.all(invitees.map((u) => invitationToken(t.db, u.email)));
    const members = await membershipCount(t.db, { orgId: org.id });
    await t.db
      .update(organizations)
      .set({ maxMembers: members + 2 })
      .where(eq(organizations.id, org.id));

    const results = await Promise.allSettled(invitees.map((u, i) => acceptInvitation(t.db, actorOf(u), { token: tokens[i] })));

    const { fulfilled, errors } = split(results);
    expect(fulfilled).toHaveLength(2);
    expect(errors).toHaveLength(8);
    for (const error of errors) {
      expect(error.code).toBe("limit_reached");
      expect(error.message).toBe(`Your plan allows ${members + 2} members. Upgrade your plan or contact support.`);
    }
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(members + 2);
    // The refused ones stay pending (they can be accepted once a seat frees up).
    expect(await invitationStatuses(org.id)).toEqual([...Array(2).fill("accepted"), ...Array(8).fill("pending")]);
    expect((await activitiesOf(t.db, org.id)).filter((a) => a.type === "member.joined")).toHaveLength(2);
  });

  it("a user in 4 orgs accepting 3 invitations at once ends in exactly 5 orgs; 2 get the 5-organization message", async () => {
    const joiner = await seedUser(t.db, { email: uniqueEmail("joiner") });
    for (let i = 0; i < 4; i++) await seedOrg(t.db, joiner);
    expect(await membershipCount(t.db, { userId: joiner.id })).toBe(4);
    const { hosts, tokens } = await invitedToOrgs(joiner, 3);

    const results = await Promise.allSettled(tokens.map((token) => acceptInvitation(t.db, actorOf(joiner), { token })));

    const { fulfilled, errors } = split(results);
    expect(fulfilled).toHaveLength(1);
    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expect(error.code).toBe("limit_reached");
      expect(error.message).toMatch(/at most 5 organizations/);
      expect(error.message).toMatch(/support/i);
    }
    expect(await membershipCount(t.db, { userId: joiner.id })).toBe(5);
    const statuses = await t.db
      .select({ status: invitations.status })
      .from(invitations)
      .where(
        and(
          inArray(
            invitations.orgId,
            hosts.map((o) => o.id),
          ),
          eq(invitations.email, joiner.email),
        ),
      );
    expect(statuses.map((s) => s.status).sort()).toEqual(["accepted", "pending", "pending"]);
  });

  it("a user (org limit raised to 10) accepting 6 invitations at once joins all 6, without deadlocks", async () => {
    const joiner = await seedUser(t.db, { email: uniqueEmail("many") });
    await t.db.update(users).set({ maxOrgs: 10 }).where(eq(users.id, joiner.id));
    const { tokens } = await invitedToOrgs(joiner, 6);
    const counting = countingTransactions(t.db);

    const started = Date.now();
    const results = await Promise.allSettled(tokens.map((token) => acceptInvitation(counting.db, actorOf(joiner), { token })));
    const elapsed = Date.now() - started;

    const rejected = results
      .filter((r): r is PromiseRejectedResult => r.status === "rejected")
      .map((r) => `${pgErrorCode(r.reason) ?? "-"} ${String(r.reason).split("\n")[0]}`);
    expect(rejected, `took ${elapsed} ms`).toEqual([]);
    expect(await membershipCount(t.db, { userId: joiner.id })).toBe(6);
    // Orgs are locked before the user (SECURITY.md), so parallel accepts queue instead of deadlocking.
    expect(counting.stats, `no transaction aborted and retried (took ${elapsed} ms)`).toEqual({ transactions: 6, aborted: [] });
  }, 120_000);

  it("parallel invites of many addresses never overrun the seats (members + pending)", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    await t.db.update(organizations).set({ maxMembers: 4 }).where(eq(organizations.id, org.id));

    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: uniqueEmail("race") })),
    );

    const { fulfilled } = split(results);
    const statuses = fulfilled.flatMap((r) => (r as PromiseFulfilledResult<{ status: string }[]>).value.map((o) => o.status));
    expect(statuses.filter((s) => s === "invited")).toHaveLength(3);
    expect(statuses.filter((s) => s === "no_seat")).toHaveLength(5);
    expect(await invitationStatuses(org.id)).toEqual(["pending", "pending", "pending"]);
  });
});

import { and, count, eq } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";

import { memberships, type Organization } from "@/db/schema";
import { AppError } from "@/lib/core/errors";
import { ORG_NOT_FOUND } from "@/lib/orgs/access";
import { removeMember } from "@/lib/orgs/members";
import { leaveOrganization } from "@/lib/orgs/memberships";
import { changeMemberRole } from "@/lib/orgs/roles";
import { LAST_OWNER_MESSAGE, refusalMessage, type Role } from "@/lib/shared/roles";

import { activitiesOf } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { emailsTo } from "../helpers/mail";
import { actorOf, addMember, seedOrg, seedUser, type SeededUser } from "../helpers/seed";

/*
 * "At least one owner, always", under parallel requests. Only PostgreSQL runs them
 * truly in parallel (a pool of 10 connections; the org row lock decides); PGlite
 * runs one transaction at a time, so these tests would prove nothing there.
 *
 * Each round holds the org row lock from a connection of its own, starts both
 * requests, waits until both are queued behind that lock, and lets go: the two
 * transactions then really overlap, and which one goes first is up to the server.
 */
describe.runIf(process.env.TEST_DB === "postgres")("the last owner under parallel requests (postgres)", () => {
  const t = setupTestDatabase();
  const ROUNDS = 10;

  /** Two owners (Ann, created the org; Bob) and, unless `members: 0`, a plain member, so the org is never left empty. */
  async function twoOwners(options: { members?: number; owners?: number } = {}) {
    const ann = await seedUser(t.db, { name: "Ann Owner" });
    const org = await seedOrg(t.db, ann);
    const owners: SeededUser[] = [ann];
    for (let i = 1; i < (options.owners ?? 2); i++) {
      const user = await seedUser(t.db, { name: `Owner ${i + 1}` });
      await addMember(t.db, user.id, org.id, "owner");
      owners.push(user);
    }
    for (let i = 0; i < (options.members ?? 1); i++)
      await addMember(t.db, (await seedUser(t.db, { name: `Member ${i + 1}` })).id, org.id, "member");
    return { org, owners, ref: { name: org.name } };
  }

  async function ownersOf(org: Pick<Organization, "id">): Promise<string[]> {
    const rows = await t.db
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.orgId, org.id), eq(memberships.role, "owner")));
    return rows.map((row) => row.userId);
  }

  async function roleOf(org: Pick<Organization, "id">, user: Pick<SeededUser, "id">): Promise<Role | undefined> {
    const [row] = await t.db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, user.id)));
    return row?.role;
  }

  /**
   * Starts every piece of `work` while another connection holds the org row lock,
   * waits until they are all queued behind it, then releases it. Settled results,
   * in the order given; every rejection must be an AppError (never a driver error).
   */
  async function race(org: Pick<Organization, "id">, work: Array<() => Promise<unknown>>): Promise<PromiseSettledResult<unknown>[]> {
    const holder = postgres(t.url!, { max: 1, onnotice: () => {} });
    const watcher = postgres(t.url!, { max: 1, onnotice: () => {} });
    try {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holding = holder.begin(async (sql) => {
        await sql`select id from organizations where id = ${org.id} for update`;
        locked();
        await released;
      });
      await isLocked;
      const racing = work.map((start) => start());
      // Every request waits for the lock (the org row is the first thing each one locks).
      const deadline = Date.now() + 10_000;
      let waiting = 0;
      while (waiting < work.length && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        [{ waiting }] = await watcher<[{ waiting: number }]>`
          select count(*)::int as waiting from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`;
      }
      release();
      expect(waiting, "every request was queued behind the lock at once").toBe(work.length);
      await holding;
      const results = await Promise.allSettled(racing);
      for (const result of results) if (result.status === "rejected") expect(result.reason, String(result.reason)).toBeInstanceOf(AppError);
      return results;
    } finally {
      await holder.end({ timeout: 5 });
      await watcher.end({ timeout: 5 });
    }
  }

  function outcome(results: PromiseSettledResult<unknown>[]) {
    const won = results.flatMap((result, i) => (result.status === "fulfilled" ? [i] : []));
    const lost = results.flatMap((result, i) => (result.status === "rejected" ? [{ i, error: result.reason as AppError }] : []));
    return { won, lost };
  }

  const roleChanges = async (org: Pick<Organization, "id">) =>
    (await activitiesOf(t.db, org.id)).filter((entry) => entry.type === "member.role_changed");

  it(`two owners demoting each other at once: one wins, the loser (no longer an owner) is refused, one owner remains (${ROUNDS} rounds)`, async () => {
    const winners = new Set<number>();
    for (let round = 0; round < ROUNDS; round++) {
      const { org, owners, ref } = await twoOwners();
      const [ann, bob] = owners as [SeededUser, SeededUser];
      const results = await race(org, [
        () => changeMemberRole(t.db, actorOf(ann), { org: ref, userId: bob.id, role: "admin" }),
        () => changeMemberRole(t.db, actorOf(bob), { org: ref, userId: ann.id, role: "admin" }),
      ]);
      const { won, lost } = outcome(results);
      expect(won, `round ${round}`).toHaveLength(1);
      winners.add(won[0]!);
      // The loser's role is read under the lock: an admin now, who may not demote an owner.
      expect(lost[0]!.error).toMatchObject({ code: "forbidden", message: refusalMessage("owners.manage") });
      const winner = owners[won[0]!]!;
      expect(await ownersOf(org), `round ${round}`).toEqual([winner.id]);
      expect(await roleOf(org, owners[lost[0]!.i]!)).toBe("admin");
      expect(await roleChanges(org)).toHaveLength(1);
      expect(await emailsTo(t.db, owners[lost[0]!.i]!.email, "role-changed")).toHaveLength(1);
      expect(await emailsTo(t.db, winner.email, "role-changed")).toHaveLength(0);
    }
    // Which side wins is up to the server; print it for whoever reads the log.
    console.info(`[roles-concurrency] demoting each other: won by ${[...winners].map((i) => ["Ann", "Bob"][i]).join(" and ")}`);
  });

  it(`two owners stepping down at once: one does, the other is the last owner and gets the last-owner conflict (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { org, owners, ref } = await twoOwners();
      const results = await race(
        org,
        owners.map((owner) => () => changeMemberRole(t.db, actorOf(owner), { org: ref, userId: owner.id, role: "member" })),
      );
      const { won, lost } = outcome(results);
      expect(won, `round ${round}`).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.error).toMatchObject({ code: "conflict", message: LAST_OWNER_MESSAGE });
      expect(await ownersOf(org)).toEqual([owners[lost[0]!.i]!.id]);
      expect(await roleChanges(org)).toHaveLength(1);
    }
  });

  it(`an owner leaving while the other owner steps down: exactly one happens, the other gets the last-owner conflict (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { org, owners, ref } = await twoOwners();
      const [ann, bob] = owners as [SeededUser, SeededUser];
      const results = await race(org, [
        () => leaveOrganization(t.db, actorOf(ann), { org: ref }),
        () => changeMemberRole(t.db, actorOf(bob), { org: ref, userId: bob.id, role: "admin" }),
      ]);
      const { won, lost } = outcome(results);
      expect(won, `round ${round}`).toHaveLength(1);
      expect(lost[0]!.error).toMatchObject({ code: "conflict", message: LAST_OWNER_MESSAGE });
      const remaining = await ownersOf(org);
      expect(remaining, `round ${round}`).toHaveLength(1);
      if (won[0] === 0) expect(remaining).toEqual([bob.id]);
      else expect([remaining, await roleOf(org, bob)]).toEqual([[ann.id], "admin"]);
    }
  });

  it(`an owner leaving while the other owner demotes them: never zero owners (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { org, owners, ref } = await twoOwners();
      const [ann, bob] = owners as [SeededUser, SeededUser];
      const results = await race(org, [
        () => leaveOrganization(t.db, actorOf(ann), { org: ref }),
        () => changeMemberRole(t.db, actorOf(bob), { org: ref, userId: ann.id, role: "member" }),
      ]);
      // Leave first: Bob's target is gone (not_found). Demotion first: Ann, a member now, may leave.
      const { won, lost } = outcome(results);
      expect(won).toContain(0);
      for (const { error } of lost) expect(error).toMatchObject({ code: "not_found" });
      expect(await ownersOf(org), `round ${round}`).toEqual([bob.id]);
      expect(await roleOf(org, ann)).toBeUndefined();
    }
  });

  it(`two owners each removing the other: one is removed, the loser is no longer a member (not_found), one owner remains (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { org, owners, ref } = await twoOwners();
      const [ann, bob] = owners as [SeededUser, SeededUser];
      const results = await race(org, [
        () => removeMember(t.db, actorOf(ann), { org: ref, userId: bob.id }),
        () => removeMember(t.db, actorOf(bob), { org: ref, userId: ann.id }),
      ]);
      const { won, lost } = outcome(results);
      expect(won, `round ${round}`).toHaveLength(1);
      expect(lost[0]!.error).toMatchObject({ code: "not_found", message: ORG_NOT_FOUND });
      expect(await ownersOf(org)).toEqual([owners[won[0]!]!.id]);
      expect((await activitiesOf(t.db, org.id)).filter((entry) => entry.type === "member.removed")).toHaveLength(1);
    }
  });

  it(`two owners leaving at once (a member stays): one leaves, the other is the last owner and gets the last-owner conflict (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { org, owners, ref } = await twoOwners();
      const results = await race(
        org,
        owners.map((owner) => () => leaveOrganization(t.db, actorOf(owner), { org: ref })),
      );
      const { won, lost } = outcome(results);
      expect(won, `round ${round}`).toHaveLength(1);
      expect(lost[0]!.error).toMatchObject({ code: "conflict", message: LAST_OWNER_MESSAGE });
      expect(await ownersOf(org)).toEqual([owners[lost[0]!.i]!.id]);
      const [{ value: members }] = (await t.db.select({ value: count() }).from(memberships).where(eq(memberships.orgId, org.id))) as [
        { value: number },
      ];
      expect(members).toBe(2);
    }
  });

  it(`four owners all leaving at once (a member stays): three leave, one owner remains (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { org, owners, ref } = await twoOwners({ owners: 4 });
      const results = await race(
        org,
        owners.map((owner) => () => leaveOrganization(t.db, actorOf(owner), { org: ref })),
      );
      const { won, lost } = outcome(results);
      expect(won, `round ${round}`).toHaveLength(3);
      expect(lost.map(({ error }) => [error.code, error.message])).toEqual([["conflict", LAST_OWNER_MESSAGE]]);
      expect(await ownersOf(org)).toEqual([owners[lost[0]!.i]!.id]);
    }
  });
});

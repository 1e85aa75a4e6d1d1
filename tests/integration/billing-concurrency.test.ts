import { describe, expect, it } from "vitest";

import type { Organization } from "@/db/schema";
import { changePlan } from "@/lib/billing/plan-change";
import { testProvider } from "@/lib/billing/provider";
import { AppError } from "@/lib/core/errors";
import { inviteMembers } from "@/lib/invitations/invite";
import { acceptInvitation, declineInvitation } from "@/lib/invitations/respond";
import { seatsUsed } from "@/lib/orgs/seats";
import { seatLimit } from "@/lib/shared/plans";

import {
  addMembers,
  billingActivities,
  inviteFresh,
  orgRow,
  seedBillingOrg,
  upgradeWithTestCard,
  type BillingOrg,
} from "../helpers/billing";
import { subscriptionOf } from "../helpers/billing-cycle";
import { setupTestDatabase } from "../helpers/db";
import { invitationToken } from "../helpers/mail";
import { actorOf, seedUser, uniqueEmail } from "../helpers/seed";

/*
 * Plan changes racing the writes that change seats. Only PostgreSQL runs them truly in
 * parallel (a pool of 10 connections, the org row lock decides); PGlite runs one
 * transaction at a time, so these tests would prove nothing there.
 */
describe.runIf(process.env.TEST_DB === "postgres")("billing under parallel requests (postgres)", () => {
  const t = setupTestDatabase();

  /** Every rejection must be an AppError (an answer for the user), never a driver error or a deadlock. */
  function rejections(results: PromiseSettledResult<unknown>[]): AppError[] {
    const errors = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as unknown);
    for (const error of errors) expect(error, String(error)).toBeInstanceOf(AppError);
    return errors as AppError[];
  }

  /** An org on Pro, card and billing information on file, with `members` members and `pending` invitations to real accounts. */
  async function proOrg(
    members: number,
    pending: number,
  ): Promise<BillingOrg & { invitees: { actor: ReturnType<typeof actorOf>; token: string }[] }> {
    const seeded = await seedBillingOrg(t.db);
    await upgradeWithTestCard(t.db, seeded);
    await addMembers(t.db, seeded.org, members - 1);
    const emails = await inviteFresh(t.db, seeded.actor, seeded.org, pending);
    const invitees = [];
    for (const email of emails) {
      const user = await seedUser(t.db, { email });
      invitees.push({ actor: actorOf(user), token: await invitationToken(t.db, email) });
    }
    return { ...seeded, invitees };
  }

  /** The invariant: members never pass the final plan's limit, and on Starter neither do members + pending. */
  async function expectWithinLimit(org: Pick<Organization, "id">) {
    const row = await orgRow(t.db, org.id);
    const { members, pending } = await seatsUsed(t.db, org.id);
    const limit = seatLimit(row)!;
    expect(members, `${row.plan}: ${members} members`).toBeLessThanOrEqual(limit);
    if (row.plan === "starter") expect(members + pending, `starter: ${members} members + ${pending} pending`).toBeLessThanOrEqual(limit);
    return { plan: row.plan, members, pending };
  }

  const downgrade = (seeded: BillingOrg) =>
    changePlan(t.db, seeded.actor, { org: { name: seeded.org.name }, plan: "starter" }, testProvider);
  /** Starts `work` after `ms`: staggering one side round by round lets every order of the race happen. */
  const after = <T>(ms: number, work: () => Promise<T>) => new Promise((resolve) => setTimeout(resolve, ms)).then(work);

  it("downgrade to Starter racing an accept (3 members + 2 pending): refused every time, the accept goes through", async () => {
    for (let round = 0; round < 10; round++) {
      const seeded = await proOrg(3, 2);
      const results = await Promise.allSettled([
        downgrade(seeded),
        acceptInvitation(t.db, seeded.invitees[0]!.actor, { token: seeded.invitees[0]!.token }),
      ]);

      const errors = rejections(results);
      expect(
        errors.map((e) => e.code),
        `round ${round}`,
      ).toEqual(["limit_reached"]);
      expect(results[1]!.status).toBe("fulfilled");
      expect(await expectWithinLimit(seeded.org)).toEqual({ plan: "pro", members: 4, pending: 1 });
      expect(await billingActivities(t.db, seeded.org.id, ["plan.changed"])).toHaveLength(1);
    }
  }, 180_000);

  it("cancellation racing an accept and a decline (2 members + 2 pending): scheduled only when the seats fit Starter", async () => {
    for (let round = 0; round < 10; round++) {
      const seeded = await proOrg(2, 2);
      const [accepting, declining] = seeded.invitees;
      const results = await Promise.allSettled([
        acceptInvitation(t.db, accepting!.actor, { token: accepting!.token }),
        after(round * 4, () => downgrade(seeded)),
        declineInvitation(t.db, declining!.actor, { token: declining!.token }),
      ]);

      rejections(results);
      expect(results[0]!.status, "the accept always fits (3 members)").toBe("fulfilled");
      expect(results[2]!.status).toBe("fulfilled");
      const final = await expectWithinLimit(seeded.org);
      // The plan stays until the period's end; the cancellation was scheduled exactly when it said so.
      expect(final).toMatchObject({ plan: "pro", members: 3, pending: 0 });
      const scheduled = results[1]!.status === "fulfilled";
      expect((await subscriptionOf(t.db, seeded.org.id))?.cancelAtPeriodEnd).toBe(scheduled);
      expect(await billingActivities(t.db, seeded.org.id, ["plan.cancel_scheduled"])).toHaveLength(scheduled ? 1 : 0);
    }
  }, 180_000);

  it("cancellation racing two invitation sends (2 members + 1 pending): scheduled only while 3 seats fit", async () => {
    for (let round = 0; round < 10; round++) {
      const seeded = await proOrg(2, 1);
      const invite = () => inviteMembers(t.db, seeded.actor, { org: { name: seeded.org.name }, emails: uniqueEmail("race") });
      const results = await Promise.allSettled([
        after(round % 2 ? 0 : 10, invite),
        after(round, () => downgrade(seeded)),
        after(10, invite),
      ]);

      rejections(results);
      const invited = [results[0]!, results[2]!].filter((r) => r.status === "fulfilled" && r.value[0]!.status === "invited").length;
      const final = await expectWithinLimit(seeded.org);
      expect(final).toMatchObject({ plan: "pro", members: 2, pending: 1 + invited });
      const scheduled = results[1]!.status === "fulfilled";
      // Refused only because an invitation came first; once scheduled, Pro's limits hold until the period ends.
      if (!scheduled) expect(invited).toBeGreaterThan(0);
      expect((await subscriptionOf(t.db, seeded.org.id))?.cancelAtPeriodEnd).toBe(scheduled);
    }
  }, 180_000);

  it("parallel plan changes with a card on file end consistent, one plan.changed per applied change", async () => {
    for (let round = 0; round < 5; round++) {
      const seeded = await seedBillingOrg(t.db);
      await upgradeWithTestCard(t.db, seeded);
      const before = (await billingActivities(t.db, seeded.org.id, ["plan.changed"])).length;
      const plans = ["scale", "starter", "pro", "scale", "starter", "pro"] as const;

      const results = await Promise.allSettled(
        plans.map((plan) => changePlan(t.db, seeded.actor, { org: { name: seeded.org.name }, plan }, testProvider)),
      );

      expect(rejections(results)).toEqual([]);
      const answers = results.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof changePlan>>>).value);
      for (const answer of answers) expect(["changed", "unchanged", "cancel_scheduled", "resumed"]).toContain(answer.status);
      const applied = answers.filter((a) => a.status === "changed");
      const entries = (await billingActivities(t.db, seeded.org.id, ["plan.changed"])).slice(before);
      expect(entries).toHaveLength(applied.length);

      // The entries form a chain from Pro to the final plan, each starting where the previous ended.
      let plan = "pro";
      for (const entry of entries) {
        const { from, to } = entry.metadata as { from: string; to: string };
        expect(from).toBe(plan);
        expect(to).not.toBe(from);
        plan = to;
      }
      expect((await orgRow(t.db, seeded.org.id)).plan).toBe(plan);
      const step = (change: { from: unknown; to: unknown }) => `${String(change.from)} → ${String(change.to)}`;
      expect(entries.map((e) => step(e.metadata as { from: string; to: string })).sort()).toEqual(
        applied.map((a) => (a.status === "changed" ? step(a) : "")).sort(),
      );
    }
  }, 180_000);
});

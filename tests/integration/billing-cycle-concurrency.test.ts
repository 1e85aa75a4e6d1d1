import { describe, expect, it } from "vitest";

import { advanceBillingClock } from "@/lib/billing/clock";
import { runBillingCycle } from "@/lib/billing/cycle";
import { changePlan } from "@/lib/billing/plan-change";
import { testProvider } from "@/lib/billing/provider";

import { billingActivities, orgRow, seedBillingOrg, upgradeWithTestCard } from "../helpers/billing";
import { DAY_SECONDS, invoicesOf, setBillingClock } from "../helpers/billing-cycle";
import { setupTestDatabase } from "../helpers/db";
import { runJobs } from "../helpers/jobs";
import { actorOf, addMember, seedUser } from "../helpers/seed";

/*
 * Plan changes and renewals racing at a period's end. Only PostgreSQL runs them in
 * parallel (a pool of connections; the org row lock decides). PGlite runs one
 * transaction at a time, so these prove nothing there.
 */
describe.runIf(process.env.TEST_DB === "postgres")("billing at a period boundary (postgres)", () => {
  const t = setupTestDatabase();

  it("bills the period once when plan changes and renewals race at its end", async () => {
    await setBillingClock(t.db, new Date("2030-03-01T10:00:00Z"));
    const seeded = await seedBillingOrg(t.db);
    await upgradeWithTestCard(t.db, seeded, "pro");
    const billingManager = await seedUser(t.db);
    await addMember(t.db, billingManager.id, seeded.org.id, "billing");
    await advanceBillingClock(t.db, 31 * DAY_SECONDS + 3600); // Apr 1, 11:00: March has ended

    const org = { name: seeded.org.name };
    const results = await Promise.allSettled([
      changePlan(t.db, seeded.actor, { org, plan: "scale" }, testProvider),
      runBillingCycle(t.db),
      changePlan(t.db, actorOf(billingManager), { org, plan: "scale" }, testProvider),
      runBillingCycle(t.db),
      runBillingCycle(t.db),
    ]);
    for (const result of results) expect(result.status, String((result as PromiseRejectedResult).reason)).toBe("fulfilled");
    await runJobs(t.db);

    const list = await invoicesOf(t.db, seeded.org.id);
    expect(list.map((invoice) => [invoice.kind, invoice.plan, invoice.periodStart.toISOString().slice(0, 10)])).toEqual([
      ["period", "pro", "2030-03-01"],
      // April renewed once, on Pro (the plan when March ended), then the upgrade prorated against April.
      ["period", "pro", "2030-04-01"],
      ["proration", "scale", "2030-04-01"],
    ]);
    expect(list[2]!.lines.map((line) => line.description)).toEqual([
      "Unused time on Pro (30 of 30 days)",
      "Remaining time on Scale (30 of 30 days)",
    ]);
    expect(list.every((invoice) => invoice.status === "paid")).toBe(true);
    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("scale");
    expect(await billingActivities(t.db, seeded.org.id, ["plan.changed"])).toHaveLength(2);
    expect(await billingActivities(t.db, seeded.org.id, ["invoice.issued"])).toHaveLength(1);
  });

  it("renews each org once when several cycles run at once", async () => {
    await setBillingClock(t.db, new Date("2030-06-01T08:00:00Z"));
    const orgs = [];
    for (let i = 0; i < 4; i++) {
      const seeded = await seedBillingOrg(t.db);
      await upgradeWithTestCard(t.db, seeded, "pro");
      orgs.push(seeded.org);
    }
    await advanceBillingClock(t.db, 30 * DAY_SECONDS + 60);
    await Promise.all(Array.from({ length: 4 }, () => runBillingCycle(t.db)));
    for (const org of orgs) {
      const kinds = (await invoicesOf(t.db, org.id)).map((invoice) => invoice.periodStart.toISOString().slice(0, 10));
      expect(kinds).toEqual(["2030-06-01", "2030-07-01"]);
    }
  });
});

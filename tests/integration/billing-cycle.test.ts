import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { billingDetails, invoiceLines, invoices } from "@/db/schema";
import { createApp } from "@/lib/apps/apps";
import { updateBillingDetails } from "@/lib/billing/billing-details";
import { advanceBillingClock } from "@/lib/billing/clock";
import { runBillingCycle } from "@/lib/billing/cycle";
import { changePlan } from "@/lib/billing/plan-change";
import { testProvider } from "@/lib/billing/provider";

import { billingActivities, billingInput, orgRow, seedBillingOrg, upgradeWithTestCard, type BillingOrg } from "../helpers/billing";
import { DAY_SECONDS, invoicesOf, setBillingClock, subscriptionOf } from "../helpers/billing-cycle";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { runJobs } from "../helpers/jobs";

/*
 * The built-in billing over a month, on a clock the test moves. Amounts are
 * hand-computed from the plan table (Pro $29, Scale $299) for March 2030 (31 days),
 * billed to France without a VAT number (VAT 20%).
 */
describe("billing cycle", () => {
  const t = setupTestDatabase();
  const DAY = DAY_SECONDS;

  async function frenchProOrg(): Promise<BillingOrg> {
    const seeded = await seedBillingOrg(t.db);
    await updateBillingDetails(t.db, seeded.actor, {
      org: { name: seeded.org.name },
      details: billingInput({ name: "Acme SAS", country: "FR", taxId: "", city: "Paris", postalCode: "75001" }),
    });
    await upgradeWithTestCard(t.db, seeded, "pro");
    return seeded;
  }

  const summary = (list: Awaited<ReturnType<typeof invoicesOf>>) =>
    list.map((invoice) => ({
      kind: invoice.kind,
      status: invoice.status,
      plan: invoice.plan,
      subtotal: invoice.subtotalCents,
      tax: invoice.taxCents,
      total: invoice.totalCents,
      taxLabel: invoice.taxLabel,
      lines: invoice.lines.map((line) => [line.kind, line.description, line.quantity, line.amountCents]),
    }));

  it("bills a month of a Pro org with two upgrades and a downgrade, to the cent", async () => {
    await setBillingClock(t.db, new Date("2030-03-01T10:00:00Z"));
    const { actor, org } = await frenchProOrg();
    await createApp(t.db, actor, { org: { name: org.name }, name: "web" });
    const change = (plan: "pro" | "scale") => changePlan(t.db, actor, { org: { name: org.name }, plan }, testProvider);

    await advanceBillingClock(t.db, 5 * DAY); // Mar 6: 26 of 31 days left
    expect(await change("scale")).toMatchObject({ status: "changed", to: "scale" });
    await advanceBillingClock(t.db, 10 * DAY); // Mar 16: 16 days left
    expect(await change("pro")).toMatchObject({ status: "changed", to: "pro" });
    await advanceBillingClock(t.db, 5 * DAY); // Mar 21: 11 days left
    expect(await change("scale")).toMatchObject({ status: "changed", to: "scale" });
    await advanceBillingClock(t.db, 11 * DAY); // Apr 1: the period ends
    await runBillingCycle(t.db);
    await runJobs(t.db);

    expect(summary(await invoicesOf(t.db, org.id))).toEqual([
      {
        kind: "period",
        status: "paid",
        plan: "pro",
        subtotal: 2900,
        tax: 580,
        total: 3480,
        taxLabel: "VAT 20%",
        lines: [["plan", "Pro plan, Mar 1 – Apr 1, 2030", 1, 2900]],
      },
      {
        // 2900 × 26/31 = 2432.26 → 2432; 29900 × 26/31 = 25077.42 → 25077; net 22645, VAT 4529.
        kind: "proration",
        status: "paid",
        plan: "scale",
        subtotal: 22645,
        tax: 4529,
        total: 27174,
        taxLabel: "VAT 20%",
        lines: [
          ["proration", "Unused time on Pro (26 of 31 days)", 1, -2432],
          ["proration", "Remaining time on Scale (26 of 31 days)", 1, 25077],
        ],
      },
      {
        // 2900 × 11/31 = 1029.03 → 1029; 29900 × 11/31 = 10609.68 → 10610; net 9581, VAT 1916.2 → 1916.
        kind: "proration",
        status: "paid",
        plan: "scale",
        subtotal: 9581,
        tax: 1916,
        total: 11497,
        taxLabel: "VAT 20%",
        lines: [
          ["proration", "Unused time on Pro (11 of 31 days)", 1, -1029],
          ["proration", "Remaining time on Scale (11 of 31 days)", 1, 10610],
        ],
      },
      {
        // The downgrade's credit (29900 × 16/31 = 15432.26 → 15432 back, 2900 × 16/31 = 1496.77 → 1497 due),
        // April's Scale in advance, and March's 744 app-hours (all included): 29900 − 15432 + 1497 = 15965, VAT 3193.
        kind: "period",
        status: "paid",
        plan: "scale",
        subtotal: 15965,
        tax: 3193,
        total: 19158,
        taxLabel: "VAT 20%",
        lines: [
          ["plan", "Scale plan, Apr 1 – May 1, 2030", 1, 29900],
          ["proration", "Unused time on Scale (16 of 31 days)", 1, -15432],
          ["proration", "Remaining time on Pro (16 of 31 days)", 1, 1497],
          ["usage", "App-hours, Mar 1 – Apr 1, 2030: 744 h, 7,500 h included", 0, 0],
        ],
      },
    ]);

    const changes = await billingActivities(t.db, org.id, ["plan.changed"]);
    expect(changes.map((entry) => entry.metadata)).toEqual([
      expect.objectContaining({ from: "starter", to: "pro", chargedCents: 3480 }),
      expect.objectContaining({
        from: "pro",
        to: "scale",
        proration: expect.objectContaining({ daysLeft: 26, daysInPeriod: 31, amountCents: 22645 }),
      }),
      expect.objectContaining({ from: "scale", to: "pro", proration: { daysLeft: 16, daysInPeriod: 31, amountCents: -13935 } }),
      expect.objectContaining({ from: "pro", to: "scale", proration: expect.objectContaining({ amountCents: 9581, chargedCents: 11497 }) }),
    ]);
    expect((await billingActivities(t.db, org.id, ["invoice.paid"])).length).toBe(4);
    expect((await subscriptionOf(t.db, org.id))?.currentPeriodStart.toISOString().slice(0, 10)).toBe("2030-04-01");
  });

  it("bills a replayed period once", async () => {
    await setBillingClock(t.db, new Date("2030-03-01T10:00:00Z"));
    const { org } = await frenchProOrg();
    await advanceBillingClock(t.db, 31 * DAY);
    await runBillingCycle(t.db);
    await runBillingCycle(t.db);
    await runJobs(t.db);
    await runBillingCycle(t.db);
    const list = await invoicesOf(t.db, org.id);
    expect(list.map((invoice) => [invoice.kind, invoice.periodStart.toISOString().slice(0, 10)])).toEqual([
      ["period", "2030-03-01"],
      ["period", "2030-04-01"],
    ]);
  });

  it("charges app-hours past the plan's included ones", async () => {
    await setBillingClock(t.db, new Date("2030-03-01T10:00:00Z"));
    const { actor, org } = await frenchProOrg();
    for (const name of ["web", "api"]) await createApp(t.db, actor, { org: { name: org.name }, name });
    await advanceBillingClock(t.db, 31 * DAY);
    await runBillingCycle(t.db);
    const renewal = (await invoicesOf(t.db, org.id)).at(-1)!;
    // Two apps all month: 2 × 744 = 1488 h, 750 included, 738 × 2¢ = 1476.
    expect(renewal.lines.at(-1)).toEqual({
      kind: "usage",
      description: "App-hours, Mar 1 – Apr 1, 2030: 1,488 h, 750 h included",
      quantity: 738,
      amountCents: 1476,
    });
    expect(renewal.subtotalCents).toBe(2900 + 1476);
    expect(renewal.taxCents).toBe(875); // 4376 × 20% = 875.2
  });

  it("reverse-charges an EU business with a VAT number in another member state", async () => {
    const seeded = await seedBillingOrg(t.db); // Germany, DE123456789
    await upgradeWithTestCard(t.db, seeded, "pro");
    const [first] = await invoicesOf(t.db, seeded.org.id);
    expect(first).toMatchObject({ subtotalCents: 2900, taxCents: 0, totalCents: 2900, reverseCharge: true, taxLabel: "Reverse charge" });
  });

  it("ends a cancelled plan at the period's end with a final invoice, keeping every member", async () => {
    await setBillingClock(t.db, new Date("2030-03-01T10:00:00Z"));
    const { actor, org } = await frenchProOrg();
    const cancel = await changePlan(t.db, actor, { org: { name: org.name }, plan: "starter" }, testProvider);
    expect(cancel).toMatchObject({ status: "cancel_scheduled" });
    expect((await orgRow(t.db, org.id)).plan).toBe("pro");
    await advanceBillingClock(t.db, 31 * DAY);
    await runBillingCycle(t.db);
    expect((await orgRow(t.db, org.id)).plan).toBe("starter");
    expect((await subscriptionOf(t.db, org.id))?.status).toBe("canceled");
    // No usage and no credit: nothing to bill at the end.
    expect((await invoicesOf(t.db, org.id)).map((invoice) => invoice.kind)).toEqual(["period"]);
    const entries = await billingActivities(t.db, org.id, ["plan.cancel_scheduled", "plan.changed"]);
    expect(entries.map((entry) => [entry.type, entry.actorName])).toEqual([
      ["plan.changed", actor.name],
      ["plan.cancel_scheduled", actor.name],
      ["plan.changed", "Billing"],
    ]);
  });

  it("keeps a cancelled plan when it is chosen again before the period ends", async () => {
    const { actor, org } = await frenchProOrg();
    await changePlan(t.db, actor, { org: { name: org.name }, plan: "starter" }, testProvider);
    expect(await changePlan(t.db, actor, { org: { name: org.name }, plan: "pro" }, testProvider)).toEqual({
      status: "resumed",
      plan: "pro",
    });
    expect((await subscriptionOf(t.db, org.id))?.cancelAtPeriodEnd).toBe(false);
  });

  it("renews the other orgs when one cannot be renewed, and that one at a later run", async () => {
    await setBillingClock(t.db, new Date("2030-03-01T10:00:00Z"));
    const broken = await frenchProOrg();
    const fine = await frenchProOrg();
    await t.db.delete(billingDetails).where(eq(billingDetails.orgId, broken.org.id)); // invoices need an addressee
    await advanceBillingClock(t.db, 31 * DAY);
    await runBillingCycle(t.db);
    expect((await invoicesOf(t.db, fine.org.id)).length).toBe(2);
    expect((await invoicesOf(t.db, broken.org.id)).length).toBe(1);
    await updateBillingDetails(t.db, broken.actor, { org: { name: broken.org.name }, details: billingInput() });
    await runBillingCycle(t.db);
    expect((await invoicesOf(t.db, broken.org.id)).length).toBe(2);
  });

  it("moves the test clock only forward, by whole seconds up to 400 days", async () => {
    for (const seconds of [0, -DAY, 1.5, 401 * DAY]) await expectAppError(advanceBillingClock(t.db, seconds), "validation");
  });

  it("never changes an issued invoice or its lines", async () => {
    const { org } = await frenchProOrg();
    await runJobs(t.db);
    const [invoice] = await invoicesOf(t.db, org.id);
    const refusal = (work: Promise<unknown>) =>
      work.then(
        () => "accepted",
        (error: Error & { cause?: Error }) => error.cause?.message ?? error.message,
      );
    expect(await refusal(t.db.update(invoices).set({ totalCents: 1 }).where(eq(invoices.id, invoice!.id)))).toMatch(/is issued/);
    expect(await refusal(t.db.delete(invoiceLines).where(eq(invoiceLines.invoiceId, invoice!.id)))).toMatch(/issued invoice/);
    expect(await refusal(t.db.delete(invoices).where(eq(invoices.id, invoice!.id)))).toMatch(/is issued/);
    expect(await refusal(t.db.execute(sql`UPDATE invoices SET status = 'open' WHERE id = ${invoice!.id}`))).toMatch(/cannot go from paid/);
    expect((await invoicesOf(t.db, org.id))[0]).toMatchObject({ totalCents: invoice!.totalCents, status: "paid" });
  });
});

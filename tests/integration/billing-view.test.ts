import { describe, expect, it } from "vitest";

import { createApp } from "@/lib/apps/apps";
import { updateBillingDetails } from "@/lib/billing/billing-details";
import { calendarMonth, getBillingSummary, getPlanSchedule } from "@/lib/billing/billing-view";
import { startCheckout } from "@/lib/billing/checkouts";
import { changePlan } from "@/lib/billing/plan-change";
import { testProvider } from "@/lib/billing/provider";
import { advanceTestClock } from "@/lib/billing/test-clock";

import { billingInput, payTest, seedBillingOrg, upgradeWithTestCard, type BillingOrg } from "../helpers/billing";
import { invoicesOf, setBillingClock } from "../helpers/billing-cycle";
import { setupTestDatabase } from "../helpers/db";
import { runJobs } from "../helpers/jobs";
import { actorOf, addMember, seedUser } from "../helpers/seed";

/*
 * What the billing page shows of the cycle (getBillingSummary, getPlanSchedule)
 * and its test clock (advanceTestClock). Amounts from the plan table: Pro $29,
 * 750 app-hours included, 2¢ an hour past them; France without a VAT number: 20 %.
 */
describe("billing view", () => {
  const t = setupTestDatabase();
  const START = new Date("2030-03-01T10:00:00Z");

  async function frenchOrg(): Promise<BillingOrg> {
    const seeded = await seedBillingOrg(t.db);
    await updateBillingDetails(t.db, seeded.actor, {
      org: { name: seeded.org.name },
      details: billingInput({ name: "Acme SAS", country: "FR", taxId: "", city: "Paris", postalCode: "75001" }),
    });
    return seeded;
  }

  it("on Starter: no subscription, no next invoice, usage over the calendar month", async () => {
    await setBillingClock(t.db, new Date("2030-03-14T08:00:00Z"));
    const { owner, org } = await frenchOrg();
    const summary = await getBillingSummary(t.db, owner.id, { name: org.name });
    expect(summary.subscription).toBeUndefined();
    expect(summary.nextInvoice).toBeUndefined();
    expect(summary.status).toBe("active");
    expect(summary.usage.periodStart.toISOString()).toBe("2030-03-01T00:00:00.000Z");
    expect(summary.usage.periodEnd.toISOString()).toBe("2030-04-01T00:00:00.000Z");
    expect(summary.testClock?.offsetSeconds).toBeGreaterThan(0);
    expect(calendarMonth(new Date("2030-12-31T23:59:00Z")).end.toISOString()).toBe("2031-01-01T00:00:00.000Z");
  });

  it("on Pro: the period, usage so far and its forecast, and the next invoice with its tax", async () => {
    await setBillingClock(t.db, START);
    const seeded = await frenchOrg();
    const { owner, actor, org } = seeded;
    await upgradeWithTestCard(t.db, seeded, "pro");
    // Two apps from day one: 2 × 744 h at the period's end, 738 past the 750 included.
    for (const name of ["web", "api"]) await createApp(t.db, actor, { org: { name: org.name }, name });
    await setBillingClock(t.db, new Date("2030-03-11T10:00:00Z"));

    const summary = await getBillingSummary(t.db, owner.id, { name: org.name });
    expect(summary.subscription?.plan).toBe("pro");
    // Ten days of two apps; each rounded up to the hour, so a moment past the clock's setting adds one.
    expect(summary.usage.hours).toBeGreaterThanOrEqual(480);
    expect(summary.usage.hours).toBeLessThanOrEqual(482);
    expect(summary.usage).toMatchObject({ forecastHours: 1488, includedHours: 750, runningApps: 2, forecastChargeCents: 1476 });
    expect(summary.nextInvoice).toMatchObject({
      kind: "period",
      planCents: 2900,
      usageCents: 1476,
      pendingCents: 0,
      subtotalCents: 4376,
      taxCents: 875,
      taxLabel: "VAT 20%",
      totalCents: 5251,
    });
    expect(summary.nextInvoice?.date.toISOString().slice(0, 10)).toBe("2030-04-01");
  });

  it("a scheduled cancellation: status 'cancels', a final invoice of usage only, and the plan page's schedule", async () => {
    await setBillingClock(t.db, START);
    const seeded = await frenchOrg();
    const { owner, actor, org } = seeded;
    await upgradeWithTestCard(t.db, seeded, "pro");
    expect(await getPlanSchedule(t.db, owner.id, { name: org.name })).toMatchObject({ plan: "pro", cancelAtPeriodEnd: false });
    await changePlan(t.db, actor, { org: { name: org.name }, plan: "starter" }, testProvider);

    const summary = await getBillingSummary(t.db, owner.id, { name: org.name });
    expect(summary.status).toBe("cancels");
    expect(summary.nextInvoice).toMatchObject({ kind: "final", planCents: 0, totalCents: 0 });
    const schedule = await getPlanSchedule(t.db, owner.id, { name: org.name });
    expect(schedule).toMatchObject({ plan: "pro", cancelAtPeriodEnd: true });
    expect(schedule?.periodEnd.toISOString().slice(0, 10)).toBe("2030-04-01");
  });

  it("is for owners and billing managers: an admin is refused, a stranger does not find the org", async () => {
    const { org } = await frenchOrg();
    const admin = await seedUser(t.db);
    const billing = await seedUser(t.db);
    const stranger = await seedUser(t.db);
    await addMember(t.db, admin.id, org.id, "admin");
    await addMember(t.db, billing.id, org.id, "billing");
    await expect(getBillingSummary(t.db, billing.id, { name: org.name })).resolves.toMatchObject({ org: { id: org.id } });
    await expect(getBillingSummary(t.db, admin.id, { name: org.name })).rejects.toMatchObject({ code: "forbidden" });
    await expect(getPlanSchedule(t.db, admin.id, { name: org.name })).rejects.toMatchObject({ code: "forbidden" });
    await expect(getBillingSummary(t.db, stranger.id, { name: org.name })).rejects.toMatchObject({ code: "not_found" });
  });

  it("the test clock renews and charges at once; a declined card fails the invoice; owners and billing managers only", async () => {
    await setBillingClock(t.db, START);
    const seeded = await frenchOrg();
    const { owner, actor, org } = seeded;
    await upgradeWithTestCard(t.db, seeded, "pro");
    await runJobs(t.db);
    const admin = await seedUser(t.db);
    await addMember(t.db, admin.id, org.id, "admin");
    await expect(advanceTestClock(t.db, actorOf(admin), { org: { name: org.name }, days: "31" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(advanceTestClock(t.db, actor, { org: { name: org.name }, days: "2" })).rejects.toMatchObject({ code: "validation" });

    const moved = await advanceTestClock(t.db, actor, { org: { name: org.name }, days: "31" });
    expect(moved.now.toISOString().slice(0, 10)).toBe("2030-04-01");
    expect(moved.renewed).toBeGreaterThanOrEqual(1);
    expect((await invoicesOf(t.db, org.id)).map((invoice) => [invoice.kind, invoice.status])).toEqual([
      ["period", "paid"],
      ["period", "paid"],
    ]);

    // A card that saves but declines charges: the next renewal fails, and the summary says so.
    const checkout = await startCheckout(t.db, actor, { org: { name: org.name } }, testProvider);
    await payTest(t.db, actor, checkout.checkoutId, "4000 0000 0000 0341");
    await advanceTestClock(t.db, actor, { org: { name: org.name }, days: "31" });
    expect((await invoicesOf(t.db, org.id)).at(-1)?.status).toBe("failed");
    const summary = await getBillingSummary(t.db, owner.id, { name: org.name });
    expect(summary).toMatchObject({ status: "payment_failed", failedInvoices: 1 });
  });
});

import { describe, expect, it } from "vitest";

import { createApp } from "@/lib/apps/apps";
import { advanceBillingClock } from "@/lib/billing/clock";
import { runBillingCycle } from "@/lib/billing/cycle";
import { replacePaymentMethod } from "@/lib/billing/payment-methods";
import { testProvider } from "@/lib/billing/provider";
import { inviteMembers } from "@/lib/invitations/invite";
import { deleteOrganization } from "@/lib/orgs/organizations";

import {
  addMembers,
  billingActivities,
  billingInput,
  orgRow,
  payTest,
  seedBillingOrg,
  upgradeWithTestCard,
  type BillingOrg,
} from "../helpers/billing";
import { DAY_SECONDS, invoicesOf } from "../helpers/billing-cycle";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { runJobs } from "../helpers/jobs";
import { emailsTo } from "../helpers/mail";
import { uniqueEmail } from "../helpers/seed";

/*
 * A card that stops working: the renewal's charge fails, is retried on days 3, 5
 * and 7, then the org is past due (Starter's limits, nothing deleted); a new card
 * pays at once and restores everything.
 */
describe("failed payments", () => {
  const t = setupTestDatabase();

  async function replaceCard(seeded: BillingOrg, number: string) {
    const { checkoutId } = await replacePaymentMethod(t.db, seeded.actor, { org: { name: seeded.org.name } }, testProvider);
    await payTest(t.db, seeded.actor, checkoutId, number);
    await runJobs(t.db);
  }

  async function days(count: number) {
    await advanceBillingClock(t.db, count * DAY_SECONDS);
    await runBillingCycle(t.db);
    await runJobs(t.db);
  }

  async function renewalStatus(orgId: string) {
    const renewal = (await invoicesOf(t.db, orgId)).at(-1)!;
    return { status: renewal.status, attempts: renewal.attemptCount, retry: renewal.nextAttemptAt !== null };
  }

  it("walks the dunning schedule to past due, then back to active when a new card pays", async () => {
    const seeded = await seedBillingOrg(t.db);
    const { org, actor } = seeded;
    await upgradeWithTestCard(t.db, seeded, "pro");
    await runJobs(t.db);
    // Six members and 12 apps: more than Starter allows (3 and 10), within Pro.
    await addMembers(t.db, org, 5);
    for (let i = 0; i < 12; i++) await createApp(t.db, actor, { org: { name: org.name }, name: `app-${i}` });
    await replaceCard(seeded, "4000 0000 0000 0341"); // saved fine, declined when charged

    await days(31); // the renewal: first attempt fails
    expect(await renewalStatus(org.id)).toEqual({ status: "failed", attempts: 1, retry: true });
    expect((await orgRow(t.db, org.id)).billingState).toBe("payment_failed");
    const contact = billingInput().email;
    expect(await emailsTo(t.db, contact, "payment-failed")).toHaveLength(1);
    expect(await emailsTo(t.db, seeded.owner.email, "payment-failed")).toHaveLength(1);

    await days(2); // day 2: not yet
    expect(await renewalStatus(org.id)).toMatchObject({ attempts: 1 });
    await days(1); // day 3: second attempt
    expect(await renewalStatus(org.id)).toEqual({ status: "failed", attempts: 2, retry: true });
    await days(2); // day 5: third
    expect(await renewalStatus(org.id)).toEqual({ status: "failed", attempts: 3, retry: true });
    // Still within the plan while retries remain.
    expect((await orgRow(t.db, org.id)).billingState).toBe("payment_failed");
    await days(2); // day 7: the last retry fails: past due
    expect(await renewalStatus(org.id)).toEqual({ status: "failed", attempts: 4, retry: false });
    const pastDue = await orgRow(t.db, org.id);
    expect(pastDue).toMatchObject({ billingState: "past_due", plan: "pro" });
    expect(await emailsTo(t.db, contact, "payment-failed")).toHaveLength(4);

    // Past due: nothing beyond Starter's limits, nothing deleted.
    const invited = await inviteMembers(t.db, actor, { org: { name: org.name }, emails: uniqueEmail("late") });
    expect(invited[0]).toMatchObject({ status: "no_seat", message: expect.stringMatching(/past due/) });
    const refused = await expectAppError(createApp(t.db, actor, { org: { name: org.name }, name: "one-more" }), "limit_reached");
    expect(refused.message).toMatch(/past due.*10 apps/);
    expect((await t.db.query.memberships.findMany({ where: (m, { eq }) => eq(m.orgId, org.id) })).length).toBe(6);
    await days(10); // no more retries
    expect(await renewalStatus(org.id)).toMatchObject({ attempts: 4 });

    await replaceCard(seeded, "4242 4242 4242 4242"); // pays at once
    expect(await renewalStatus(org.id)).toEqual({ status: "paid", attempts: 5, retry: false });
    expect((await orgRow(t.db, org.id)).billingState).toBe("current");
    await createApp(t.db, actor, { org: { name: org.name }, name: "one-more" });

    const entries = await billingActivities(t.db, org.id, [
      "invoice.payment_failed",
      "subscription.past_due",
      "invoice.paid",
      "subscription.restored",
    ]);
    expect(entries.map((entry) => entry.type)).toEqual([
      "invoice.paid", // the first period, paid with 4242
      "invoice.payment_failed",
      "invoice.payment_failed",
      "invoice.payment_failed",
      "invoice.payment_failed",
      "subscription.past_due",
      "invoice.paid",
      "subscription.restored",
    ]);
    expect(entries.every((entry) => entry.actorName === "Billing" && entry.actorUserId === null)).toBe(true);
    // A receipt for each charged invoice, to the billing contact only.
    const receipts = await emailsTo(t.db, contact, "invoice-paid");
    expect(receipts.map((email) => email.subject)).toEqual([
      expect.stringMatching(/^Receipt for .*: invoice INV-\d{6} is paid$/),
      expect.stringMatching(/^Receipt for .*: invoice INV-\d{6} is paid$/),
    ]);
    expect(await emailsTo(t.db, seeded.owner.email, "invoice-paid")).toHaveLength(0);
  });

  it("settles a failed charge at once when the card is replaced before the next retry", async () => {
    const seeded = await seedBillingOrg(t.db);
    await upgradeWithTestCard(t.db, seeded, "pro");
    await replaceCard(seeded, "4000 0000 0000 0341");
    await days(31);
    expect((await orgRow(t.db, seeded.org.id)).billingState).toBe("payment_failed");
    await replaceCard(seeded, "5555 5555 5555 4444");
    expect(await renewalStatus(seeded.org.id)).toEqual({ status: "paid", attempts: 2, retry: false });
    expect((await orgRow(t.db, seeded.org.id)).billingState).toBe("current");
    // No past-due episode, so no restore entry.
    expect(await billingActivities(t.db, seeded.org.id, ["subscription.restored"])).toHaveLength(0);
  });

  it("charges once when the same attempt's job runs twice", async () => {
    const seeded = await seedBillingOrg(t.db);
    await upgradeWithTestCard(t.db, seeded, "pro");
    const { runInvoiceCharge } = await import("@/lib/billing/charges");
    const [invoice] = await invoicesOf(t.db, seeded.org.id);
    const outcomes = [await runInvoiceCharge(t.db, { invoiceId: invoice!.id, attempt: 1 }, testProvider)];
    outcomes.push(await runInvoiceCharge(t.db, { invoiceId: invoice!.id, attempt: 1 }, testProvider));
    await runJobs(t.db);
    expect(outcomes).toEqual(["paid", "skipped"]);
    expect(await billingActivities(t.db, seeded.org.id, ["invoice.paid"])).toHaveLength(1);
  });

  it("voids, and keeps, an unpaid invoice of an org deleted before it was charged", async () => {
    const seeded = await seedBillingOrg(t.db);
    await upgradeWithTestCard(t.db, seeded, "pro"); // its charge is queued, not yet run
    await deleteOrganization(t.db, seeded.actor, { org: { name: seeded.org.name } });
    await runJobs(t.db);
    const [invoice] = await invoicesOf(t.db, seeded.org.id);
    expect(invoice).toMatchObject({ status: "void", orgName: seeded.org.name, totalCents: 2900, voidedAt: expect.any(Date) });
  });
});

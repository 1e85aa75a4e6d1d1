import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { subscriptions } from "@/db/schema";
import { createApp } from "@/lib/apps/apps";
import { updateBillingDetails } from "@/lib/billing/billing-details";
import { replacePaymentMethod } from "@/lib/billing/payment-methods";
import { changePlan } from "@/lib/billing/plan-change";
import { stripeProvider } from "@/lib/billing/stripe";
import { queueSubscriptionSync, runSubscriptionSync } from "@/lib/billing/stripe-billing";
import { handleStripeWebhook, type StripeWebhookConfig } from "@/lib/billing/stripe-webhook";
import { inTransaction } from "@/lib/core/transaction";
import { runJob } from "@/lib/jobs/handlers";

import { addMembers, billingActivities, billingInput, orgRow, paymentMethodOf, seedBillingOrg, type BillingOrg } from "../helpers/billing";
import { invoicesOf, subscriptionOf } from "../helpers/billing-cycle";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import {
  sessionEvent,
  signPayload,
  startFakeStripe,
  stripeEvent,
  type FakeInvoice,
  type FakeStripe,
  type FakeSubscription,
} from "../helpers/fake-stripe";
import { jobsIn, makeRetriesDue, runJobs } from "../helpers/jobs";
import { emailsTo } from "../helpers/mail";
import { uniqueEmail } from "../helpers/seed";

/*
 * Stripe Billing against the local fake Stripe: the plan change queues
 * stripe.subscription-sync, the job calls the fake through the real SDK, and
 * Stripe's answers come back as webhook events signed by the SDK's own helper.
 */
const t = setupTestDatabase();
const WEBHOOK_SECRET = "whsec_test_subscriptions_0123456789";
let fake: FakeStripe;
let config: StripeWebhookConfig;

beforeAll(async () => {
  fake = await startFakeStripe();
  config = { secretKey: "sk_test_fake", webhookSecret: WEBHOOK_SECRET, apiUrl: fake.url };
});

afterAll(async () => {
  await fake?.close();
});

const provider = () => stripeProvider({ secretKey: config.secretKey, apiUrl: config.apiUrl });
const runStripeJobs = () => runJobs(t.db, { provider: provider() });
const DAY = 86_400;

function deliver(payload: string) {
  return handleStripeWebhook(t.db, { payload, signature: signPayload(payload, WEBHOOK_SECRET) }, config);
}

const requestsTo = (method: string, path: string | RegExp) =>
  fake.requests.filter((r) => r.method === method && (typeof path === "string" ? r.path === path : path.test(r.path)));

interface StripeOrg extends BillingOrg {
  billingEmail: string;
  customerId: string;
  card: string;
}

/**
 * An org with its own billing contact (in `country`, without a VAT number unless
 * Germany's default) that saved a card through Stripe Checkout for `plan`; the
 * sync job has not run yet.
 */
async function checkedOut(plan: "pro" | "scale" = "pro", country: "DE" | "FR" = "DE"): Promise<StripeOrg> {
  const seeded = await seedBillingOrg(t.db);
  const billingEmail = uniqueEmail("billing");
  const overrides = country === "FR" ? { country: "FR", taxId: "", city: "Paris", postalCode: "75001" } : {};
  await updateBillingDetails(t.db, seeded.actor, {
    org: { name: seeded.org.name },
    details: billingInput({ email: billingEmail, ...overrides }),
  });
  const change = await changePlan(t.db, seeded.actor, { org: { name: seeded.org.name }, plan }, provider());
  if (change.status !== "checkout") throw new Error(`expected a checkout, got ${change.status}`);
  const session = fake.sessionFor(change.checkoutId);
  expect(await deliver(sessionEvent("checkout.session.completed", session))).toBe("applied");
  return { ...seeded, billingEmail, customerId: session.customer, card: fake.paymentMethodOf(session).id };
}

/** The same, with the sync job run: the org has its Stripe subscription. */
async function subscribed(plan: "pro" | "scale" = "pro", country: "DE" | "FR" = "DE"): Promise<StripeOrg & { sub: FakeSubscription }> {
  const org = await checkedOut(plan, country);
  await runStripeJobs();
  const [sub] = fake.subscriptionsOf(org.org.id);
  if (!sub) throw new Error("no subscription at the fake Stripe");
  return { ...org, sub };
}

const change = (org: BillingOrg, plan: string) => changePlan(t.db, org.actor, { org: { name: org.org.name }, plan }, provider());
const subscriptionCalls = (sub: FakeSubscription) => requestsTo("POST", `/v1/subscriptions/${sub.id}`);
const invoiceEvent = (type: string, invoice: FakeInvoice) => stripeEvent(type, { ...invoice });
const subscriptionEvent = (type: string, sub: FakeSubscription, changes: Partial<FakeSubscription> = {}) =>
  stripeEvent(type, { ...structuredClone(sub), ...changes });

describe("the subscription at Stripe", () => {
  it("an upgrade through checkout creates one subscription at the plan's price, on the saved card", async () => {
    const org = await checkedOut("pro");
    expect((await orgRow(t.db, org.org.id)).plan).toBe("pro");
    // Queued by the webhook's transaction; nothing at Stripe until the job runs.
    expect(await jobsIn(t.db, "stripe.subscription-sync", "created")).toContainEqual(
      expect.objectContaining({ data: { orgId: org.org.id } }),
    );
    expect(fake.subscriptionsOf(org.org.id)).toEqual([]);
    expect(await subscriptionOf(t.db, org.org.id)).toMatchObject({
      provider: "stripe",
      plan: "pro",
      status: "active",
      providerSubscriptionId: null,
    });

    await runStripeJobs();

    const subs = fake.subscriptionsOf(org.org.id);
    expect(subs).toHaveLength(1);
    const sub = subs[0]!;
    expect(sub).toMatchObject({
      customer: org.customerId,
      default_payment_method: org.card,
      cancel_at_period_end: false,
      default_tax_rates: [],
    });
    expect(
      sub.items.data.map((item) => [item.price.lookup_key, item.price.unit_amount, item.price.currency, item.price.recurring.interval]),
    ).toEqual([["plan_pro_monthly", 2900, "usd", "month"]]);
    const [created] = requestsTo("POST", "/v1/subscriptions").filter((r) => r.body.customer === org.customerId);
    expect(created!.idempotencyKey).toMatch(new RegExp(`^subscription/${org.org.id}/\\d+$`));
    expect(created!.body["metadata[org_id]"]).toBe(org.org.id);

    const item = sub.items.data[0]!;
    expect(await subscriptionOf(t.db, org.org.id)).toMatchObject({
      provider: "stripe",
      providerSubscriptionId: sub.id,
      plan: "pro",
      status: "active",
      cancelAtPeriodEnd: false,
      currentPeriodStart: new Date(item.current_period_start * 1000),
      currentPeriodEnd: new Date(item.current_period_end * 1000),
    });
    // The plan change's own entry; the sync itself records nothing.
    expect((await billingActivities(t.db, org.org.id)).map((a) => a.type)).toEqual([
      "billing.updated",
      "billing.updated",
      "payment_method.added",
      "plan.changed",
    ]);
  });

  it("finds each plan's Price by its lookup key and creates it once", async () => {
    await subscribed("pro");
    await subscribed("pro");
    await subscribed("scale");
    const byKey = (key: string) => [...fake.prices.values()].filter((price) => price.lookup_key === key);
    expect(byKey("plan_pro_monthly").map((price) => price.unit_amount)).toEqual([2900]);
    expect(byKey("plan_scale_monthly").map((price) => price.unit_amount)).toEqual([29900]);
    const creations = requestsTo("POST", "/v1/prices");
    expect(creations.map((r) => r.body.lookup_key).sort()).toEqual(["plan_pro_monthly", "plan_scale_monthly"]);
    expect(creations.every((r) => r.idempotencyKey?.startsWith(`price/${r.body.lookup_key}/`))).toBe(true);
  });

  it("creates the subscription once when the job runs twice, when a second job runs, and when its answer was lost", async () => {
    const org = await checkedOut("pro");
    const [job] = (await jobsIn(t.db, "stripe.subscription-sync", "created")).filter((j) => j.data.orgId === org.org.id);
    const running = { id: job!.id, name: "stripe.subscription-sync" as const, data: { orgId: org.org.id }, retryCount: 0, retryLimit: 3 };
    expect(await runJob(t.db, running, { provider: provider() })).toBe("created");
    expect(await runJob(t.db, running, { provider: provider() })).toBe("in_sync");
    await inTransaction(t.db, (tx) => queueSubscriptionSync(tx, org.org.id));
    await runStripeJobs();
    expect(fake.subscriptionsOf(org.org.id)).toHaveLength(1);

    // Stripe made it but our write of its id was lost: the next job finds it by its metadata.
    const [sub] = fake.subscriptionsOf(org.org.id);
    await t.db.update(subscriptions).set({ providerSubscriptionId: null }).where(eq(subscriptions.orgId, org.org.id));
    await inTransaction(t.db, (tx) => queueSubscriptionSync(tx, org.org.id));
    await runStripeJobs();
    expect(fake.subscriptionsOf(org.org.id)).toHaveLength(1);
    expect((await subscriptionOf(t.db, org.org.id))?.providerSubscriptionId).toBe(sub!.id);
    expect(requestsTo("POST", "/v1/subscriptions").filter((r) => r.body.customer === org.customerId)).toHaveLength(1);
  });

  it("two sync jobs racing to create the subscription create one", async () => {
    const org = await checkedOut("pro");
    await inTransaction(t.db, (tx) => queueSubscriptionSync(tx, org.org.id));
    const jobs = (await jobsIn(t.db, "stripe.subscription-sync", "created")).filter((j) => j.data.orgId === org.org.id);
    expect(jobs).toHaveLength(2);
    const outcomes = await Promise.all(
      jobs.map((job) =>
        runJob(
          t.db,
          { id: job.id, name: "stripe.subscription-sync", data: { orgId: org.org.id }, retryCount: 0, retryLimit: 3 },
          { provider: provider() },
        ),
      ),
    );
    // Both asked Stripe to create it (same key: one subscription), or the second found it made.
    expect(outcomes).toContain("created");
    for (const outcome of outcomes) expect(["created", "in_sync"]).toContain(outcome);
    expect(fake.subscriptionsOf(org.org.id)).toHaveLength(1);
    expect((await subscriptionOf(t.db, org.org.id))?.providerSubscriptionId).toBe(fake.subscriptionsOf(org.org.id)[0]!.id);
  });

  it("a sync whose call lands after a later change's job runs once more, so Stripe ends as the org", async () => {
    const org = await subscribed("pro");
    await change(org, "scale");
    // This worker read Scale; before its call reaches Stripe, the org goes back to Pro and that change's job runs.
    const client = provider().client;
    const update = client.subscriptions.update.bind(client.subscriptions);
    let raced = false;
    client.subscriptions.update = (async (...args: Parameters<typeof update>) => {
      if (!raced) {
        raced = true;
        await change(org, "pro");
        await runStripeJobs();
      }
      return update(...args);
    }) as typeof client.subscriptions.update;
    await runSubscriptionSync(t.db, { orgId: org.org.id, jobId: randomUUID() }, client);
    expect(fake.subscriptions.get(org.sub.id)!.items.data[0]!.price.lookup_key).toBe("plan_scale_monthly");
    expect((await orgRow(t.db, org.org.id)).plan).toBe("pro");

    await runStripeJobs();
    expect(fake.subscriptions.get(org.sub.id)!.items.data[0]!.price.lookup_key).toBe("plan_pro_monthly");
    await runStripeJobs();
    expect(await jobsIn(t.db, "stripe.subscription-sync", "created")).toEqual([]);
  });

  it("Pro to Scale with the card on file applies at once and moves the subscription with always_invoice; back to Pro with create_prorations", async () => {
    const org = await subscribed("pro");
    expect(await change(org, "scale")).toEqual({ status: "changed", from: "pro", to: "scale" });
    expect((await orgRow(t.db, org.org.id)).plan).toBe("scale");
    expect(subscriptionCalls(org.sub)).toHaveLength(0);
    await runStripeJobs();

    const [up] = subscriptionCalls(org.sub);
    const scalePrice = [...fake.prices.values()].find((price) => price.lookup_key === "plan_scale_monthly")!;
    expect(up!.body).toMatchObject({
      "items[0][id]": org.sub.items.data[0]!.id,
      "items[0][price]": scalePrice.id,
      proration_behavior: "always_invoice",
    });
    expect(fake.subscriptions.get(org.sub.id)!.items.data[0]!.price.lookup_key).toBe("plan_scale_monthly");
    expect(fake.subscriptionsOf(org.org.id)).toHaveLength(1);

    expect(await change(org, "pro")).toEqual({ status: "changed", from: "scale", to: "pro" });
    await runStripeJobs();
    const down = subscriptionCalls(org.sub).at(-1)!;
    expect(down.body).toMatchObject({ proration_behavior: "create_prorations" });
    expect(fake.subscriptions.get(org.sub.id)!.items.data[0]!.price.lookup_key).toBe("plan_pro_monthly");
    expect(await subscriptionOf(t.db, org.org.id)).toMatchObject({ plan: "pro", providerSubscriptionId: org.sub.id });
    const entries = await billingActivities(t.db, org.org.id, ["plan.changed"]);
    expect(entries.map((a) => a.metadata)).toEqual([
      { from: "starter", to: "pro" },
      { from: "pro", to: "scale" },
      { from: "scale", to: "pro" },
    ]);
  });

  it("moving to Starter sets cancel_at_period_end and keeps the plan until Stripe ends the subscription; choosing the plan again withdraws it", async () => {
    const org = await subscribed("pro");
    const row = await subscriptionOf(t.db, org.org.id);
    expect(await change(org, "starter")).toEqual({ status: "cancel_scheduled", endsAt: row!.currentPeriodEnd });
    expect((await orgRow(t.db, org.org.id)).plan).toBe("pro");
    await runStripeJobs();
    expect(subscriptionCalls(org.sub).at(-1)!.body).toEqual({ cancel_at_period_end: "true" });
    expect(fake.subscriptions.get(org.sub.id)!.cancel_at_period_end).toBe(true);
    // Asking again changes nothing and calls nobody.
    expect(await change(org, "starter")).toEqual({ status: "cancel_scheduled", endsAt: row!.currentPeriodEnd });
    await runStripeJobs();
    expect(subscriptionCalls(org.sub)).toHaveLength(1);

    expect(await change(org, "pro")).toEqual({ status: "resumed", plan: "pro" });
    await runStripeJobs();
    expect(fake.subscriptions.get(org.sub.id)!.cancel_at_period_end).toBe(false);
    expect(await change(org, "starter")).toMatchObject({ status: "cancel_scheduled" });
    await runStripeJobs();
    expect(fake.subscriptions.get(org.sub.id)!.cancel_at_period_end).toBe(true);

    // A late event from before the cancellation does not undo it.
    expect(await deliver(subscriptionEvent("customer.subscription.updated", org.sub, { cancel_at_period_end: false }))).toBe("ignored");
    expect((await subscriptionOf(t.db, org.org.id))?.cancelAtPeriodEnd).toBe(true);

    // The period ends at Stripe.
    const endedAt = Math.floor(Date.now() / 1000);
    const atStripe = fake.subscriptions.get(org.sub.id)!;
    Object.assign(atStripe, { status: "canceled", ended_at: endedAt, cancellation_details: { reason: "cancellation_requested" } });
    const deleted = subscriptionEvent("customer.subscription.deleted", atStripe);
    expect(await deliver(deleted)).toBe("applied");
    expect((await orgRow(t.db, org.org.id)).plan).toBe("starter");
    expect(await subscriptionOf(t.db, org.org.id)).toMatchObject({ status: "canceled", cancelAtPeriodEnd: false });
    const entries = await billingActivities(t.db, org.org.id, ["plan.changed", "plan.cancel_scheduled", "plan.cancel_withdrawn"]);
    expect(entries.map((a) => [a.type, a.actorName])).toEqual([
      ["plan.changed", org.actor.name],
      ["plan.cancel_scheduled", org.actor.name],
      ["plan.cancel_withdrawn", org.actor.name],
      ["plan.cancel_scheduled", org.actor.name],
      ["plan.changed", "Billing"],
    ]);
    expect(entries.at(-1)!.metadata).toEqual({
      from: "pro",
      to: "starter",
      reason: "cancelled",
      endedAt: new Date(endedAt * 1000).toISOString(),
    });

    // Redelivered: nothing changes.
    expect(await deliver(deleted)).toBe("duplicate");
    expect(await billingActivities(t.db, org.org.id, ["plan.changed"])).toHaveLength(2);

    // Subscribing again makes a new subscription; an event of the old one is ignored.
    expect(await change(org, "pro")).toMatchObject({ status: "changed", to: "pro" });
    await runStripeJobs();
    const [renewed] = fake.subscriptionsOf(org.org.id).filter((sub) => sub.id !== org.sub.id);
    expect(renewed).toBeDefined();
    expect((await subscriptionOf(t.db, org.org.id))?.providerSubscriptionId).toBe(renewed!.id);
    expect(await deliver(subscriptionEvent("customer.subscription.deleted", org.sub, { status: "canceled" }))).toBe("ignored");
    expect((await orgRow(t.db, org.org.id)).plan).toBe("pro");
  });

  it("moving to Starter is refused when the members do not fit, and Stripe hears nothing", async () => {
    const org = await subscribed("pro");
    await addMembers(t.db, org.org, 4);
    await expectAppError(change(org, "starter"), "limit_reached");
    await runStripeJobs();
    expect(subscriptionCalls(org.sub)).toHaveLength(0);
    expect((await subscriptionOf(t.db, org.org.id))?.cancelAtPeriodEnd).toBe(false);
    expect(await billingActivities(t.db, org.org.id, ["plan.cancel_scheduled"])).toEqual([]);
  });

  it("charges our tax rate: a French org without a VAT number pays 20% VAT through a Stripe Tax Rate, created once", async () => {
    const first = await subscribed("pro", "FR");
    const second = await subscribed("pro", "FR");
    const rates = [...fake.taxRates.values()].filter((rate) => rate.metadata.tax_key === "FR-2000");
    expect(rates.map((rate) => [rate.percentage, rate.country, rate.inclusive, rate.display_name])).toEqual([[20, "FR", false, "VAT"]]);
    for (const org of [first, second]) expect(org.sub.default_tax_rates.map((rate) => rate.id)).toEqual([rates[0]!.id]);
  });

  it("a new card moves the subscription to it", async () => {
    const org = await subscribed("pro");
    fake.useCard({ brand: "mastercard", last4: "4444", exp_month: 3, exp_year: 2031 });
    try {
      const replacement = await replacePaymentMethod(t.db, org.actor, { org: { name: org.org.name } }, provider());
      const session = fake.sessionFor(replacement.checkoutId);
      expect(await deliver(sessionEvent("checkout.session.completed", session))).toBe("applied");
      await runStripeJobs();
      const newCard = fake.paymentMethodOf(session).id;
      expect((await paymentMethodOf(t.db, org.org.id))?.providerRef).toBe(newCard);
      expect(fake.subscriptions.get(org.sub.id)!.default_payment_method).toBe(newCard);
      expect(subscriptionCalls(org.sub).at(-1)!.body).toEqual({ default_payment_method: newCard });
    } finally {
      fake.useCard({ brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034 });
    }
  });

  it("retries the sync through a Stripe outage; the plan applied at once all along", async () => {
    const org = await subscribed("pro");
    fake.failing = true;
    try {
      expect(await change(org, "scale")).toMatchObject({ status: "changed", to: "scale" });
      expect(await runStripeJobs()).toMatchObject({ failed: 1 });
    } finally {
      fake.failing = false;
    }
    expect((await orgRow(t.db, org.org.id)).plan).toBe("scale");
    expect((await jobsIn(t.db, "stripe.subscription-sync", "retry")).map((j) => j.data)).toEqual([{ orgId: org.org.id }]);
    await makeRetriesDue(t.db);
    expect(await runStripeJobs()).toMatchObject({ failed: 0 });
    expect(fake.subscriptions.get(org.sub.id)!.items.data[0]!.price.lookup_key).toBe("plan_scale_monthly");
    expect(await jobsIn(t.db, "stripe.subscription-sync", "retry")).toEqual([]);
  }, 60_000);
});

describe("Stripe's invoices and payment outcomes, through the signed webhook", () => {
  it("copies a finalized invoice once, with Stripe's number, lines and tax, then records its payment", async () => {
    const org = await subscribed("pro", "FR");
    const invoice = fake.createInvoice(org.sub, { billingReason: "subscription_create", taxCents: 580 });
    const finalized = invoiceEvent("invoice.finalized", invoice);
    expect(await deliver(finalized)).toBe("applied");

    const item = org.sub.items.data[0]!;
    const [copy] = await invoicesOf(t.db, org.org.id);
    expect(copy).toMatchObject({
      number: invoice.number,
      provider: "stripe",
      providerInvoiceId: invoice.id,
      kind: "period",
      plan: "pro",
      status: "open",
      subtotalCents: 2900,
      taxCents: 580,
      totalCents: 3480,
      taxRateBasisPoints: 2000,
      taxLabel: "VAT 20%",
      reverseCharge: false,
      periodStart: new Date(item.current_period_start * 1000),
      periodEnd: new Date(item.current_period_end * 1000),
    });
    expect(copy!.billTo).toMatchObject({ email: org.billingEmail, country: "FR" });
    expect(copy!.lines).toEqual([{ kind: "plan", description: invoice.lines.data[0]!.description, quantity: 1, amountCents: 2900 }]);
    expect(await deliver(finalized)).toBe("duplicate");

    invoice.status = "paid";
    invoice.attempt_count = 1;
    invoice.status_transitions.paid_at = Math.floor(Date.now() / 1000);
    const paid = invoiceEvent("invoice.paid", invoice);
    expect(await deliver(paid)).toBe("applied");
    expect(await deliver(paid)).toBe("duplicate");
    const [after] = await invoicesOf(t.db, org.org.id);
    expect(after).toMatchObject({ status: "paid", paidAt: new Date(invoice.status_transitions.paid_at * 1000), attemptCount: 1 });
    expect(await invoicesOf(t.db, org.org.id)).toHaveLength(1);
    const entries = await billingActivities(t.db, org.org.id, ["invoice.issued", "invoice.paid"]);
    expect(entries.map((a) => [a.type, a.actorName, a.targetLabel])).toEqual([
      ["invoice.issued", "Billing", `${invoice.number} ($34.80)`],
      ["invoice.paid", "Billing", `${invoice.number} ($34.80)`],
    ]);
  });

  it("invoice.paid arriving first copies the invoice and records it paid; the late finalized event changes nothing", async () => {
    const org = await subscribed("pro");
    const invoice = fake.createInvoice(org.sub, { billingReason: "subscription_create", status: "paid" });
    expect(await deliver(invoiceEvent("invoice.paid", invoice))).toBe("applied");
    expect(await deliver(invoiceEvent("invoice.finalized", { ...invoice, status: "open" }))).toBe("ignored");
    const list = await invoicesOf(t.db, org.org.id);
    expect(list.map((i) => [i.status, i.taxLabel, i.reverseCharge])).toEqual([["paid", "Reverse charge", true]]);
    expect((await billingActivities(t.db, org.org.id, ["invoice.issued", "invoice.paid"])).map((a) => a.type)).toEqual([
      "invoice.issued",
      "invoice.paid",
    ]);
  });

  it("a proration invoice of an upgrade is copied as a proration with its lines", async () => {
    const org = await subscribed("pro");
    const now = Math.floor(Date.now() / 1000);
    const end = org.sub.items.data[0]!.current_period_end;
    const invoice = fake.createInvoice(org.sub, {
      billingReason: "subscription_update",
      lines: [
        { amount: -2432, description: "Unused time on Pro", proration: true, period: { start: now, end } },
        { amount: 25077, description: "Remaining time on Scale", proration: true, period: { start: now, end } },
      ],
    });
    expect(await deliver(invoiceEvent("invoice.finalized", invoice))).toBe("applied");
    const [copy] = await invoicesOf(t.db, org.org.id);
    expect(copy).toMatchObject({
      kind: "proration",
      subtotalCents: 22645,
      totalCents: 22645,
      periodStart: new Date(now * 1000),
      periodEnd: new Date(end * 1000),
    });
    expect(copy!.lines.map((line) => [line.kind, line.amountCents])).toEqual([
      ["proration", -2432],
      ["proration", 25077],
    ]);
  });

  it("invoice.payment_failed records each attempt, e-mails the owners and the billing contact once per attempt, goes past due when Stripe stops retrying, and invoice.paid restores", async () => {
    const org = await subscribed("pro");
    const invoice = fake.createInvoice(org.sub, { billingReason: "subscription_cycle" });
    expect(await deliver(invoiceEvent("invoice.finalized", invoice))).toBe("applied");

    const retryAt = Math.floor(Date.now() / 1000) + 3 * DAY;
    invoice.attempt_count = 1;
    invoice.next_payment_attempt = retryAt;
    const firstFailure = invoiceEvent("invoice.payment_failed", invoice);
    expect(await deliver(firstFailure)).toBe("applied");
    expect((await invoicesOf(t.db, org.org.id))[0]).toMatchObject({
      status: "failed",
      attemptCount: 1,
      nextAttemptAt: new Date(retryAt * 1000),
    });
    expect((await orgRow(t.db, org.org.id)).billingState).toBe("payment_failed");
    for (const to of [org.owner.email, org.billingEmail]) expect(await emailsTo(t.db, to, "payment-failed")).toHaveLength(1);
    expect(await deliver(firstFailure)).toBe("duplicate");
    for (const to of [org.owner.email, org.billingEmail]) expect(await emailsTo(t.db, to, "payment-failed")).toHaveLength(1);

    // Stripe's last attempt: no next one, so the org is past due (Starter's limits until it pays).
    invoice.attempt_count = 4;
    invoice.next_payment_attempt = null;
    expect(await deliver(invoiceEvent("invoice.payment_failed", invoice))).toBe("applied");
    expect((await invoicesOf(t.db, org.org.id))[0]).toMatchObject({ status: "failed", attemptCount: 4, nextAttemptAt: null });
    expect((await orgRow(t.db, org.org.id)).billingState).toBe("past_due");
    for (const to of [org.owner.email, org.billingEmail]) expect(await emailsTo(t.db, to, "payment-failed")).toHaveLength(2);
    const [pastDueMail] = await emailsTo(t.db, org.owner.email, "payment-failed");
    expect(pastDueMail!.subject).toMatch(/past due/i);

    // An older attempt delivered late (another event id) changes nothing.
    expect(await deliver(invoiceEvent("invoice.payment_failed", { ...invoice, attempt_count: 2, next_payment_attempt: retryAt }))).toBe(
      "ignored",
    );
    expect((await orgRow(t.db, org.org.id)).billingState).toBe("past_due");

    invoice.status = "paid";
    invoice.status_transitions.paid_at = Math.floor(Date.now() / 1000);
    expect(await deliver(invoiceEvent("invoice.paid", invoice))).toBe("applied");
    expect((await orgRow(t.db, org.org.id)).billingState).toBe("current");
    expect((await invoicesOf(t.db, org.org.id))[0]).toMatchObject({ status: "paid", nextAttemptAt: null, lastError: null });

    const entries = await billingActivities(t.db, org.org.id, [
      "invoice.issued",
      "invoice.payment_failed",
      "subscription.past_due",
      "invoice.paid",
      "subscription.restored",
    ]);
    expect(entries.map((a) => a.type)).toEqual([
      "invoice.issued",
      "invoice.payment_failed",
      "invoice.payment_failed",
      "subscription.past_due",
      "invoice.paid",
      "subscription.restored",
    ]);
    expect(entries[1]!.metadata).toMatchObject({ attempt: 1, nextAttemptAt: new Date(retryAt * 1000).toISOString() });
  });

  it("invoice.voided voids the copy, and with nothing else failed the org is current again", async () => {
    const org = await subscribed("pro");
    const invoice = fake.createInvoice(org.sub, { billingReason: "subscription_cycle" });
    invoice.attempt_count = 1;
    invoice.next_payment_attempt = Math.floor(Date.now() / 1000) + 3 * DAY;
    expect(await deliver(invoiceEvent("invoice.payment_failed", invoice))).toBe("applied");
    expect((await orgRow(t.db, org.org.id)).billingState).toBe("payment_failed");

    invoice.status = "void";
    invoice.status_transitions.voided_at = Math.floor(Date.now() / 1000);
    const voided = invoiceEvent("invoice.voided", invoice);
    expect(await deliver(voided)).toBe("applied");
    expect((await invoicesOf(t.db, org.org.id))[0]).toMatchObject({
      status: "void",
      voidedAt: new Date(invoice.status_transitions.voided_at * 1000),
    });
    expect((await orgRow(t.db, org.org.id)).billingState).toBe("current");
    expect((await billingActivities(t.db, org.org.id, ["invoice.voided"])).map((entry) => entry.actorName)).toEqual(["Billing"]);
    expect(await deliver(voided)).toBe("duplicate");
    // A void invoice stays void.
    expect(await deliver(invoiceEvent("invoice.payment_failed", { ...invoice, status: "open", attempt_count: 2 }))).toBe("ignored");
  });

  it("an invoice whose Stripe number is taken already keeps Stripe's id beside it", async () => {
    const first = await subscribed("pro");
    const second = await subscribed("pro");
    const one = fake.createInvoice(first.sub, { billingReason: "subscription_create" });
    const other = fake.createInvoice(second.sub, { billingReason: "subscription_create" });
    other.number = one.number;
    expect(await deliver(invoiceEvent("invoice.finalized", one))).toBe("applied");
    expect(await deliver(invoiceEvent("invoice.finalized", other))).toBe("applied");
    expect((await invoicesOf(t.db, second.org.id))[0]!.number).toBe(`${one.number} (${other.id})`);
  });

  it("customer.subscription.updated: unpaid is past due, active again restores, a new period is stored; another subscription's event is ignored", async () => {
    const org = await subscribed("pro");
    const unpaid = subscriptionEvent("customer.subscription.updated", org.sub, { status: "unpaid" });
    expect(await deliver(unpaid)).toBe("applied");
    expect((await orgRow(t.db, org.org.id)).billingState).toBe("past_due");
    expect(await deliver(unpaid)).toBe("duplicate");
    expect(await deliver(subscriptionEvent("customer.subscription.updated", org.sub, { status: "unpaid" }))).toBe("ignored");
    expect(await billingActivities(t.db, org.org.id, ["subscription.past_due"])).toHaveLength(1);

    const item = org.sub.items.data[0]!;
    const next = { ...item, current_period_start: item.current_period_end, current_period_end: item.current_period_end + 30 * DAY };
    const renewed = subscriptionEvent("customer.subscription.updated", org.sub, {
      status: "active",
      items: { object: "list", data: [next] },
    });
    expect(await deliver(renewed)).toBe("applied");
    expect((await orgRow(t.db, org.org.id)).billingState).toBe("current");
    expect(await subscriptionOf(t.db, org.org.id)).toMatchObject({
      currentPeriodStart: new Date(next.current_period_start * 1000),
      currentPeriodEnd: new Date(next.current_period_end * 1000),
      periodNumber: 1,
    });
    expect((await billingActivities(t.db, org.org.id, ["subscription.past_due", "subscription.restored"])).map((a) => a.type)).toEqual([
      "subscription.past_due",
      "subscription.restored",
    ]);

    const stranger = subscriptionEvent("customer.subscription.updated", { ...org.sub, id: "sub_test_someone_else" }, { status: "unpaid" });
    expect(await deliver(stranger)).toBe("ignored");
    expect((await orgRow(t.db, org.org.id)).billingState).toBe("current");
  });

  it("customer.subscription.created before the sync job stored the id: the subscription is adopted, its period stored", async () => {
    const org = await subscribed("pro");
    await t.db.update(subscriptions).set({ providerSubscriptionId: null }).where(eq(subscriptions.orgId, org.org.id));
    expect(await deliver(subscriptionEvent("customer.subscription.created", org.sub))).toBe("applied");
    expect((await subscriptionOf(t.db, org.org.id))?.providerSubscriptionId).toBe(org.sub.id);
    // Another subscription of the same customer, not ours by its metadata, is not adopted.
    await t.db.update(subscriptions).set({ providerSubscriptionId: null }).where(eq(subscriptions.orgId, org.org.id));
    const foreign = { ...structuredClone(org.sub), id: "sub_test_not_ours", metadata: {} };
    expect(await deliver(stripeEvent("customer.subscription.created", { ...foreign }))).toBe("ignored");
    expect((await subscriptionOf(t.db, org.org.id))?.providerSubscriptionId).toBeNull();
  });

  it("a first payment that never went through (incomplete_expired) returns the org to Starter and bills no final invoice", async () => {
    const org = await subscribed("pro");
    const expired = subscriptionEvent("customer.subscription.updated", org.sub, { status: "incomplete_expired" });
    expect(await deliver(expired)).toBe("applied");
    expect((await orgRow(t.db, org.org.id)).plan).toBe("starter");
    expect(await subscriptionOf(t.db, org.org.id)).toMatchObject({ status: "canceled" });
    expect((await jobsIn(t.db, "stripe.final-invoice")).filter((j) => j.data.orgId === org.org.id)).toEqual([]);
  });

  it("customer.subscription.deleted for unpaid invoices returns the org to Starter with the reason", async () => {
    const org = await subscribed("scale");
    const deleted = subscriptionEvent("customer.subscription.deleted", org.sub, {
      status: "canceled",
      ended_at: Math.floor(Date.now() / 1000),
      cancellation_details: { reason: "payment_failed" },
    });
    expect(await deliver(deleted)).toBe("applied");
    expect((await orgRow(t.db, org.org.id)).plan).toBe("starter");
    const [ended] = await billingActivities(t.db, org.org.id, ["plan.changed"]).then((list) => list.slice(-1));
    expect(ended).toMatchObject({
      actorName: "Billing",
      metadata: expect.objectContaining({ from: "scale", to: "starter", reason: "payment_failed" }),
    });
    expect(await deliver(deleted)).toBe("duplicate");
  });

  it("reads the rest of a long invoice's lines from Stripe before its transaction", async () => {
    const org = await subscribed("pro");
    const lines = Array.from({ length: 12 }, (_, i) => ({ amount: 100 + i, description: `Line ${i + 1}`, invoiceItem: true }));
    const invoice = fake.createInvoice(org.sub, { billingReason: "manual", lines });
    // The event carries the first page only, as Stripe's do.
    const event = { ...invoice, lines: { ...invoice.lines, has_more: true, data: invoice.lines.data.slice(0, 10) } };
    expect(await deliver(invoiceEvent("invoice.finalized", event))).toBe("applied");
    expect(requestsTo("GET", `/v1/invoices/${invoice.id}/lines`)).toHaveLength(1);
    const [copy] = await invoicesOf(t.db, org.org.id);
    expect(copy!.lines.map((line) => line.description)).toEqual(lines.map((line) => line.description));
    expect(copy).toMatchObject({ kind: "final", subtotalCents: lines.reduce((sum, line) => sum + line.amount, 0) });
  });

  it("an event naming another org in its metadata is matched by its customer", async () => {
    const org = await subscribed("pro");
    const other = await subscribed("pro");
    const invoice = fake.createInvoice(org.sub, { billingReason: "subscription_create" });
    invoice.parent!.subscription_details.metadata = { org_id: other.org.id };
    expect(await deliver(invoiceEvent("invoice.finalized", invoice))).toBe("applied");
    expect(await invoicesOf(t.db, org.org.id)).toHaveLength(1);
    expect(await invoicesOf(t.db, other.org.id)).toEqual([]);
  });

  it("an invoice of a customer that is not one of our orgs is ignored but recorded", async () => {
    const org = await subscribed("pro");
    const invoice = fake.createInvoice(org.sub, { billingReason: "manual" });
    const stranger = invoiceEvent("invoice.finalized", { ...invoice, customer: "cus_test_someone_else", parent: null });
    expect(await deliver(stranger)).toBe("ignored");
    expect(await invoicesOf(t.db, org.org.id)).toEqual([]);
  });
});

describe("usage on Stripe's renewal invoices", () => {
  it("invoice.created for a renewal queues the usage job, which adds the app-hours past the included ones to the draft, once", async () => {
    const org = await subscribed("pro");
    for (const name of ["web", "api"]) await createApp(t.db, org.actor, { org: { name: org.org.name }, name });
    // A 31-day period from now: both apps run all of it, 2 × 744 = 1,488 h, 750 included, 738 × 2¢.
    const start = Math.ceil(Date.now() / 1000) + 1;
    const period = { start, end: start + 31 * DAY };
    const invoice = fake.createInvoice(org.sub, { billingReason: "subscription_cycle", status: "draft", period });

    const created = invoiceEvent("invoice.created", invoice);
    expect(await deliver(created)).toBe("applied");
    expect(await invoicesOf(t.db, org.org.id)).toEqual([]); // a draft is not ours to copy
    await runStripeJobs();
    // The same draft announced again (another event id): the item is added once.
    expect(await deliver(invoiceEvent("invoice.created", invoice))).toBe("applied");
    await runStripeJobs();
    expect(await deliver(created)).toBe("duplicate");

    const items = requestsTo("POST", "/v1/invoiceitems").filter((r) => r.body.invoice === invoice.id);
    expect(items).toHaveLength(2);
    expect(items.map((r) => r.idempotencyKey)).toEqual([`usage/${invoice.id}`, `usage/${invoice.id}`]);
    expect(items[0]!.body).toMatchObject({
      customer: org.customerId,
      amount: "1476",
      currency: "usd",
      "metadata[kind]": "usage",
      "metadata[billable_hours]": "738",
    });
    const usageLines = invoice.lines.data.filter((line) => line.metadata.kind === "usage");
    expect(usageLines).toHaveLength(1);

    // Stripe finalizes it: our copy has the plan and the usage.
    invoice.status = "open";
    invoice.number = `FAKE-USAGE-${invoice.id.slice(-6)}`;
    invoice.status_transitions.finalized_at = Math.floor(Date.now() / 1000);
    expect(await deliver(invoiceEvent("invoice.finalized", invoice))).toBe("applied");
    const [copy] = await invoicesOf(t.db, org.org.id);
    expect(copy!.lines.map((line) => [line.kind, line.quantity, line.amountCents])).toEqual([
      ["plan", 1, 2900],
      ["usage", 738, 1476],
    ]);
    expect(copy!.lines[1]!.description).toMatch(/^App-hours, .*: 1,488 h, 750 h included$/);
    expect(copy).toMatchObject({ kind: "period", subtotalCents: 2900 + 1476 });
  });

  it("the end of a subscription bills its last period's app-hours on a final invoice, once", async () => {
    const org = await subscribed("pro");
    for (const name of ["web", "api"]) await createApp(t.db, org.actor, { org: { name: org.org.name }, name });
    // Its last period: 31 days, both apps all along (as above: 738 h past the included ones, 1,476¢).
    const atStripe = fake.subscriptions.get(org.sub.id)!;
    const start = Math.ceil(Date.now() / 1000) + 1;
    Object.assign(atStripe.items.data[0]!, { current_period_start: start, current_period_end: start + 31 * DAY });
    Object.assign(atStripe, { status: "canceled", ended_at: start + 31 * DAY, cancellation_details: { reason: "cancellation_requested" } });
    expect(await deliver(subscriptionEvent("customer.subscription.deleted", atStripe))).toBe("applied");
    expect(await deliver(subscriptionEvent("customer.subscription.deleted", atStripe))).toBe("ignored");
    const [job] = await jobsIn(t.db, "stripe.final-invoice", "created").then((all) => all.filter((j) => j.data.orgId === org.org.id));
    expect(job?.data).toEqual({ orgId: org.org.id, providerSubscriptionId: org.sub.id });
    const running = { id: job!.id, name: "stripe.final-invoice" as const, data: job!.data as never, retryCount: 0, retryLimit: 3 };
    expect(await runJob(t.db, running, { provider: provider() })).toBe("invoiced");
    expect(await runJob(t.db, running, { provider: provider() })).toBe("invoiced"); // replayed by Stripe: nothing new
    await runStripeJobs();

    const finals = [...fake.invoices.values()].filter((invoice) => invoice.customer === org.customerId);
    expect(finals).toHaveLength(1);
    const [created] = requestsTo("POST", "/v1/invoices").filter((r) => r.body.customer === org.customerId);
    expect(created!.body).toMatchObject({
      auto_advance: "true",
      pending_invoice_items_behavior: "include",
      "metadata[org_id]": org.org.id,
    });
    const final = finals[0]!;
    expect(final.lines.data.map((line) => [line.amount, line.metadata.kind, line.metadata.billable_hours])).toEqual([
      [1476, "usage", "738"],
    ]);

    // Stripe finalizes and charges it; our copy is the org's final invoice.
    Object.assign(final, { status: "paid", number: `FAKE-FINAL-${final.id.slice(-6)}` });
    final.status_transitions.finalized_at = final.status_transitions.paid_at = Math.floor(Date.now() / 1000);
    expect(await deliver(invoiceEvent("invoice.paid", final))).toBe("applied");
    const [copy] = await invoicesOf(t.db, org.org.id);
    expect(copy).toMatchObject({ kind: "final", status: "paid", totalCents: 1476, plan: "pro" });
    expect(copy!.lines.map((line) => [line.kind, line.quantity, line.amountCents])).toEqual([["usage", 738, 1476]]);
  });

  it("adds nothing when the period had no apps, and nothing to a draft that is not a renewal", async () => {
    const org = await subscribed("pro");
    const renewal = fake.createInvoice(org.sub, { billingReason: "subscription_cycle", status: "draft" });
    expect(await deliver(invoiceEvent("invoice.created", renewal))).toBe("applied");
    const manual = fake.createInvoice(org.sub, { billingReason: "manual", status: "draft" });
    expect(await deliver(invoiceEvent("invoice.created", manual))).toBe("ignored");
    await runStripeJobs();
    expect(requestsTo("POST", "/v1/invoiceitems").filter((r) => r.body.customer === org.customerId)).toEqual([]);
  });
});

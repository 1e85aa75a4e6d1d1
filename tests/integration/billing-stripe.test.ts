import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { updateBillingDetails } from "@/lib/billing/billing-details";
import { readCheckout } from "@/lib/billing/checkouts";
import { replacePaymentMethod } from "@/lib/billing/payment-methods";
import { changePlan } from "@/lib/billing/plan-change";
import { stripeProvider } from "@/lib/billing/stripe";
import { handleStripeWebhook, type StripeWebhookConfig } from "@/lib/billing/stripe-webhook";
import { deleteOrganization } from "@/lib/orgs/organizations";

import {
  billingActivities,
  billingInput,
  checkoutRow,
  orgRow,
  paymentMethodOf,
  processedEvent,
  seedBillingOrg,
  type BillingOrg,
} from "../helpers/billing";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { sessionEvent, signPayload, startFakeStripe, stripeEvent, type FakeStripe } from "../helpers/fake-stripe";
import { jobsIn, makeRetriesDue, runJobs } from "../helpers/jobs";

/*
 * The real Stripe SDK (lib/billing/stripe.ts) against a local fake API, and webhook
 * events signed by the SDK's own test helper, so signatures are made as Stripe makes them.
 */
const t = setupTestDatabase();
const WEBHOOK_SECRET = "whsec_test_0123456789abcdef";
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
/** Runs the queued jobs as a worker would, calling the fake Stripe. */
const runStripeJobs = () => runJobs(t.db, { provider: provider() });

/** Delivers a payload to the webhook handler, signed with `secret` (the right one by default). */
function deliver(payload: string, secret = WEBHOOK_SECRET) {
  return handleStripeWebhook(t.db, { payload, signature: signPayload(payload, secret) }, config);
}

/** An org with billing information whose upgrade to Pro went to a Stripe checkout session. */
async function startedUpgrade(): Promise<BillingOrg & { checkoutId: string; url: string }> {
  const seeded = await seedBillingOrg(t.db);
  const change = await changePlan(t.db, seeded.actor, { org: { name: seeded.org.name }, plan: "pro" }, provider());
  if (change.status !== "checkout") throw new Error(`expected a checkout, got ${change.status}`);
  return { ...seeded, checkoutId: change.checkoutId, url: change.url };
}

const requestsTo = (method: string, path: string | RegExp) =>
  fake.requests.filter((r) => r.method === method && (typeof path === "string" ? r.path === path : path.test(r.path)));

describe("starting a checkout at Stripe", () => {
  it("creates the customer once, then a setup-mode session that returns to APP_URL", async () => {
    const before = fake.requests.length;
    const { org, checkoutId, url } = await startedUpgrade();
    const session = fake.sessionFor(checkoutId);
    expect(url).toBe(session.url);
    expect(url).toMatch(/^https:\/\/checkout\.example\.test\/c\/cs_test_/);

    const calls = fake.requests.slice(before);
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1/customers", "POST /v1/checkout/sessions"]);
    const [customer, created] = calls;
    expect(customer!.authorization).toBe("Bearer sk_test_fake");
    expect(customer!.idempotencyKey).toBe(`customer-${org.id}`);
    expect(customer!.body).toMatchObject({
      name: "Acme GmbH",
      email: "billing@acme.example.test",
      "address[country]": "DE",
      "metadata[org_id]": org.id,
    });

    const returnUrl = `http://localhost:3000/orgs/${org.name}/settings/plan?checkout=${checkoutId}`;
    expect(created!.idempotencyKey).toBe(`checkout-${checkoutId}`);
    expect(created!.body).toMatchObject({
      mode: "setup",
      customer: session.customer,
      client_reference_id: checkoutId,
      "metadata[checkout_id]": checkoutId,
      success_url: returnUrl,
    });
    // Back to the same page, whatever flag marks a cancel.
    expect(created!.body.cancel_url!.startsWith(returnUrl)).toBe(true);

    expect((await orgRow(t.db, org.id)).providerCustomerId).toBe(session.customer);
    expect(await checkoutRow(t.db, checkoutId)).toMatchObject({
      provider: "stripe",
      providerSessionId: session.id,
      status: "open",
      plan: "pro",
    });
    expect((await orgRow(t.db, org.id)).plan).toBe("starter");
    expect(await billingActivities(t.db, org.id, ["plan.changed", "payment_method.added"])).toEqual([]);
  });

  it("reuses the stored customer on the next checkout", async () => {
    const first = await startedUpgrade();
    const before = fake.requests.length;
    const again = await changePlan(t.db, first.actor, { org: { name: first.org.name }, plan: "scale" }, provider());
    expect(again.status).toBe("checkout");
    const calls = fake.requests.slice(before);
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /v1/checkout/sessions"]);
    expect(calls[0]!.body.customer).toBe(fake.sessionFor(first.checkoutId).customer);
  });

  it("copies changed billing information to the org's Stripe customer through a job of the same transaction", async () => {
    const started = await startedUpgrade();
    const customerId = fake.sessionFor(started.checkoutId).customer;
    const before = fake.requests.length;
    await updateBillingDetails(t.db, started.actor, {
      org: { name: started.org.name },
      details: billingInput({ name: "Acme Holding GmbH", city: "Hamburg" }),
    });
    expect(fake.requests.length).toBe(before);
    await runStripeJobs();
    const calls = fake.requests.slice(before);
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1/customers/${customerId}`]);
    expect(calls[0]!.body).toMatchObject({ name: "Acme Holding GmbH", "address[city]": "Hamburg", "address[country]": "DE" });
    expect(calls[0]!.idempotencyKey).toMatch(/^job\//);
    // Saving the same information again changes nothing, here or at Stripe.
    await updateBillingDetails(t.db, started.actor, {
      org: { name: started.org.name },
      details: billingInput({ name: "Acme Holding GmbH", city: "Hamburg" }),
    });
    await runStripeJobs();
    expect(fake.requests.length).toBe(before + 1);
  });

  it("keeps the saved billing information when Stripe cannot be updated, and retries the update until Stripe is back", async () => {
    const started = await startedUpgrade();
    const customerId = fake.sessionFor(started.checkoutId).customer;
    fake.failing = true;
    try {
      const saved = await updateBillingDetails(t.db, started.actor, {
        org: { name: started.org.name },
        details: billingInput({ city: "Munich" }),
      });
      expect(saved.city).toBe("Munich");
      expect(await runStripeJobs()).toMatchObject({ failed: 1 });
    } finally {
      fake.failing = false;
    }
    expect(await billingActivities(t.db, started.org.id, ["billing.updated"])).toHaveLength(2);
    await makeRetriesDue(t.db);
    await runStripeJobs();
    const updates = requestsTo("POST", `/v1/customers/${customerId}`);
    expect(updates.at(-1)!.body).toMatchObject({ "address[city]": "Munich" });
    expect(await jobsIn(t.db, "stripe.customer-update", "retry")).toEqual([]);
  });

  it("deleting the org deletes its Stripe customer (and so its cards) through a job of the same transaction", async () => {
    const started = await startedUpgrade();
    const customerId = fake.sessionFor(started.checkoutId).customer;
    await deleteOrganization(t.db, started.actor, { org: { name: started.org.name } });
    expect(requestsTo("DELETE", `/v1/customers/${customerId}`)).toHaveLength(0);
    await runStripeJobs();
    expect(requestsTo("DELETE", `/v1/customers/${customerId}`)).toHaveLength(1);
  });

  it("answers `unavailable` when Stripe is down, and leaves the org as it was", async () => {
    const seeded = await seedBillingOrg(t.db);
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
    fake.failing = true;
    try {
      await expectAppError(changePlan(t.db, seeded.actor, { org: { name: seeded.org.name }, plan: "pro" }, provider()), "unavailable");
    } finally {
      fake.failing = false;
      consoleError.mockRestore();
    }
    expect(await orgRow(t.db, seeded.org.id)).toMatchObject({ plan: "starter", providerCustomerId: null });
    expect(await paymentMethodOf(t.db, seeded.org.id)).toBeUndefined();
  }, 60_000);
});

describe("the Stripe webhook", () => {
  it.each([
    ["signed with another secret", (payload: string) => ({ payload, signature: signPayload(payload, "whsec_someone_else") })],
    [
      "with a tampered payload",
      (payload: string) => ({
        payload: payload.replace('"livemode":false', '"livemode":true'),
        signature: signPayload(payload, WEBHOOK_SECRET),
      }),
    ],
    ["without a signature header", (payload: string) => ({ payload, signature: null })],
    ["with a garbage signature header", (payload: string) => ({ payload, signature: "t=1,v1=deadbeef" })],
    [
      "signed an hour ago (replayed)",
      (payload: string) => ({ payload, signature: signPayload(payload, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 3600) }),
    ],
  ])("refuses an event %s and changes nothing", async (_label, request) => {
    const { org, checkoutId } = await startedUpgrade();
    const payload = sessionEvent("checkout.session.completed", fake.sessionFor(checkoutId));
    const eventId = (JSON.parse(payload) as { id: string }).id;
    const before = fake.requests.length;

    const error = await expectAppError(handleStripeWebhook(t.db, request(payload), config), "unauthorized");
    expect(error.message).toBe("The webhook signature does not match.");

    expect(fake.requests.length, "no call to Stripe for an unsigned event").toBe(before);
    expect(await paymentMethodOf(t.db, org.id)).toBeUndefined();
    expect((await orgRow(t.db, org.id)).plan).toBe("starter");
    expect(await processedEvent(t.db, eventId)).toBeUndefined();
    expect((await checkoutRow(t.db, checkoutId))!.status).toBe("open");
    expect(await billingActivities(t.db, org.id, ["plan.changed", "payment_method.added", "plan.upgrade_failed"])).toEqual([]);
  });

  it("checkout.session.completed saves the card from the setup intent and applies the plan, once", async () => {
    const { org, owner, checkoutId } = await startedUpgrade();
    const session = fake.sessionFor(checkoutId);
    const payload = sessionEvent("checkout.session.completed", session);
    const eventId = (JSON.parse(payload) as { id: string }).id;

    expect(await deliver(payload)).toBe("applied");

    const intentCalls = requestsTo("GET", `/v1/setup_intents/${session.setup_intent}`);
    expect(intentCalls).toHaveLength(1);
    expect(Object.entries(intentCalls[0]!.query)).toContainEqual([expect.stringMatching(/^expand/), "payment_method"]);
    expect(await paymentMethodOf(t.db, org.id)).toMatchObject({
      provider: "stripe",
      providerRef: fake.paymentMethodOf(session).id,
      brand: "visa",
      last4: "4242",
      expMonth: 12,
      expYear: 2034,
    });
    expect(fake.paymentMethodOf(session).id).toMatch(/^pm_/);
    expect((await orgRow(t.db, org.id)).plan).toBe("pro");
    expect(await checkoutRow(t.db, checkoutId)).toMatchObject({ status: "completed" });
    expect(await readCheckout(t.db, owner.id, { name: org.name }, checkoutId)).toEqual({ state: "completed", plan: "pro" });
    expect(await processedEvent(t.db, eventId)).toMatchObject({ provider: "stripe", type: "checkout.session.completed" });

    const entries = await billingActivities(t.db, org.id, ["payment_method.added", "plan.changed"]);
    expect(entries.map((a) => a.type)).toEqual(["payment_method.added", "plan.changed"]);
    expect(entries[1]!.metadata).toEqual({ from: "starter", to: "pro" });
    // The webhook has no session: the checkout's starter is the actor.
    for (const entry of entries) expect(entry).toMatchObject({ actorUserId: owner.id, actorEmail: owner.email });

    // The same event again: recorded already, nothing changes.
    expect(await deliver(payload)).toBe("duplicate");
    expect(await billingActivities(t.db, org.id)).toHaveLength(entries.length + 1 /* billing.updated */);
    expect(requestsTo("POST", /\/detach$/).filter((r) => r.path.includes(fake.paymentMethodOf(session).id))).toEqual([]);
  });

  it("the same event delivered twice at once applies once", async () => {
    const { org, checkoutId } = await startedUpgrade();
    const payload = sessionEvent("checkout.session.completed", fake.sessionFor(checkoutId));

    const outcomes = await Promise.all([deliver(payload), deliver(payload)]);

    expect(outcomes.sort()).toEqual(["applied", "duplicate"]);
    expect((await orgRow(t.db, org.id)).plan).toBe("pro");
    const entries = await billingActivities(t.db, org.id, ["payment_method.added", "plan.changed"]);
    expect(entries.map((a) => a.type)).toEqual(["payment_method.added", "plan.changed"]);
  });

  it("another event for an already completed session is recorded and ignored", async () => {
    const { org, checkoutId } = await startedUpgrade();
    const session = fake.sessionFor(checkoutId);
    expect(await deliver(sessionEvent("checkout.session.completed", session))).toBe("applied");
    const entries = await billingActivities(t.db, org.id);

    const other = sessionEvent("checkout.session.completed", session);
    expect(await deliver(other)).toBe("ignored");
    expect(await processedEvent(t.db, (JSON.parse(other) as { id: string }).id)).toBeDefined();
    expect(await billingActivities(t.db, org.id)).toEqual(entries);
    expect(requestsTo("POST", /\/detach$/).filter((r) => r.path.includes(fake.paymentMethodOf(session).id))).toEqual([]);
  });

  it("replacing the card through a second checkout detaches the old one at Stripe", async () => {
    const { org, actor, checkoutId } = await startedUpgrade();
    const first = fake.sessionFor(checkoutId);
    expect(await deliver(sessionEvent("checkout.session.completed", first))).toBe("applied");
    const oldRef = fake.paymentMethodOf(first).id;

    fake.useCard({ brand: "mastercard", last4: "4444", exp_month: 3, exp_year: 2031 });
    const customersBefore = requestsTo("POST", "/v1/customers").length;
    const replacement = await replacePaymentMethod(t.db, actor, { org: { name: org.name } }, provider());
    fake.useCard({ brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034 });
    expect(requestsTo("POST", "/v1/customers")).toHaveLength(customersBefore);
    const second = fake.sessionFor(replacement.checkoutId);
    expect(second.customer).toBe(first.customer);
    expect(second.success_url).toBe(`http://localhost:3000/orgs/${org.name}/settings/billing?checkout=${replacement.checkoutId}`);

    expect(await deliver(sessionEvent("checkout.session.completed", second))).toBe("applied");
    await runStripeJobs();

    const newRef = fake.paymentMethodOf(second).id;
    expect(await paymentMethodOf(t.db, org.id)).toMatchObject({
      providerRef: newRef,
      brand: "mastercard",
      last4: "4444",
      expMonth: 3,
      expYear: 2031,
    });
    expect(requestsTo("POST", `/v1/payment_methods/${oldRef}/detach`)).toHaveLength(1);
    expect(requestsTo("POST", `/v1/payment_methods/${newRef}/detach`)).toHaveLength(0);
    expect((await orgRow(t.db, org.id)).plan).toBe("pro");
    const types = (await billingActivities(t.db, org.id)).map((a) => a.type);
    expect(types).toEqual(["billing.updated", "payment_method.added", "plan.changed", "payment_method.replaced"]);
  });

  it("checkout.session.expired marks the checkout expired and changes nothing else", async () => {
    const { org, owner, checkoutId } = await startedUpgrade();
    const before = fake.requests.length;
    expect(await deliver(sessionEvent("checkout.session.expired", fake.sessionFor(checkoutId)))).toBe("applied");
    expect(fake.requests.length, "an expired session needs no call to Stripe").toBe(before);
    expect((await checkoutRow(t.db, checkoutId))!.status).toBe("expired");
    expect(await readCheckout(t.db, owner.id, { name: org.name }, checkoutId)).toEqual({ state: "expired", plan: "pro" });
    expect(await paymentMethodOf(t.db, org.id)).toBeUndefined();
    expect((await orgRow(t.db, org.id)).plan).toBe("starter");

    // A completion arriving after the expiry does not revive it.
    expect(await deliver(sessionEvent("checkout.session.completed", fake.sessionFor(checkoutId)))).toBe("ignored");
    expect(await paymentMethodOf(t.db, org.id)).toBeUndefined();
    expect((await orgRow(t.db, org.id)).plan).toBe("starter");
  });

  it("an event type it does not handle is ignored but recorded", async () => {
    const payload = stripeEvent("customer.updated", { id: "cus_test_other", object: "customer" });
    const eventId = (JSON.parse(payload) as { id: string }).id;
    expect(await deliver(payload)).toBe("ignored");
    expect(await processedEvent(t.db, eventId)).toMatchObject({ type: "customer.updated" });
    expect(await deliver(payload)).toBe("duplicate");
  });

  it("a session it does not know is ignored but recorded", async () => {
    const { checkoutId } = await startedUpgrade();
    const stranger = { ...fake.sessionFor(checkoutId), id: "cs_test_unknown_session" };
    const payload = sessionEvent("checkout.session.expired", stranger);
    expect(await deliver(payload)).toBe("ignored");
    expect(await processedEvent(t.db, (JSON.parse(payload) as { id: string }).id)).toBeDefined();
    expect((await checkoutRow(t.db, checkoutId))!.status).toBe("open");
  });

  it("a completed session of another system on the account is ignored without calling Stripe", async () => {
    const { checkoutId } = await startedUpgrade();
    const stranger = { ...fake.sessionFor(checkoutId), id: "cs_test_someone_elses", setup_intent: "seti_test_someone_elses" };
    const before = fake.requests.length;
    expect(await deliver(sessionEvent("checkout.session.completed", stranger))).toBe("ignored");
    expect(fake.requests.length).toBe(before);
    expect((await checkoutRow(t.db, checkoutId))!.status).toBe("open");
  });
});

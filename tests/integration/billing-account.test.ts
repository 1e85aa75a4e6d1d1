import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { readBillingDetails, updateBillingDetails } from "@/lib/billing/billing-details";
import { BILLING_DETAILS_FIRST, readCheckout } from "@/lib/billing/checkouts";
import { requestEnterprisePlan } from "@/lib/billing/enterprise";
import { getBillingOverview } from "@/lib/billing/overview";
import { removePaymentMethod, replacePaymentMethod } from "@/lib/billing/payment-methods";
import { changePlan } from "@/lib/billing/plan-change";
import { testProvider } from "@/lib/billing/provider";
import { getTestCheckout } from "@/lib/billing/test-checkout";
import { ORG_NOT_FOUND, type OrgRef } from "@/lib/orgs/access";

import {
  billingActivities,
  billingInput,
  orgRow,
  paymentMethodOf,
  payTest,
  rowsOf,
  seedBillingOrg,
  upgradeWithTestCard,
} from "../helpers/billing";
import { endBillingPeriod } from "../helpers/billing-cycle";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { emailsTo } from "../helpers/mail";
import { awayFromWindowEdge } from "../helpers/rate-limit";
import { actorOf, seedUser } from "../helpers/seed";

/* Billing information, payment methods, Enterprise requests and who may touch them. */
const t = setupTestDatabase();

const SALES = "sales@example.com";

describe("updateBillingDetails", () => {
  it.each([
    ["an unknown country", { country: "XX" }, { country: ["Choose a country from the list."] }],
    ["a VAT number in another format than Germany's", { taxId: "DE 1234" }, { taxId: [expect.stringContaining("DE123456789")] }],
    [
      "an address with a line break",
      { addressLine1: "Hauptstraße 1\nBerlin" },
      { addressLine1: [expect.stringMatching(/control characters/)] },
    ],
    ["a bad e-mail", { email: "not an address" }, { email: [expect.any(String)] }],
  ])("refuses %s with a field error, saving nothing", async (_label, overrides, fieldErrors) => {
    const seeded = await seedBillingOrg(t.db, { details: false });
    const error = await expectAppError(
      updateBillingDetails(t.db, seeded.actor, { org: { name: seeded.org.name }, details: billingInput(overrides) }),
      "validation",
    );
    expect(error.fieldErrors).toEqual(fieldErrors);
    expect(await readBillingDetails(t.db, seeded.owner.id, { name: seeded.org.name })).toBeUndefined();
    expect(await billingActivities(t.db, seeded.org.id)).toEqual([]);
  });

  it("lists every missing field", async () => {
    const seeded = await seedBillingOrg(t.db, { details: false });
    const error = await expectAppError(
      updateBillingDetails(t.db, seeded.actor, { org: { name: seeded.org.name }, details: {} }),
      "validation",
    );
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["addressLine1", "city", "country", "email", "name", "postalCode"]);
    for (const details of [null, "details", billingInput({ city: "   " })]) {
      await expectAppError(updateBillingDetails(t.db, seeded.actor, { org: { name: seeded.org.name }, details }), "validation");
    }
    expect(await billingActivities(t.db, seeded.org.id)).toEqual([]);
  });

  it("saves once with one billing.updated; the same details again (however typed) record nothing", async () => {
    const seeded = await seedBillingOrg(t.db, { details: false });
    const save = (overrides: Record<string, unknown>) =>
      updateBillingDetails(t.db, seeded.actor, { org: { name: seeded.org.name }, details: billingInput(overrides) });

    const saved = await save({ country: "de", taxId: "123 456 789" });
    expect(saved).toMatchObject({ orgId: seeded.org.id, name: "Acme GmbH", country: "DE", taxId: "DE123456789", addressLine2: null });
    expect(await readBillingDetails(t.db, seeded.owner.id, { name: seeded.org.name })).toEqual(saved);

    await save({});
    await save({ name: "  Acme GmbH ", taxId: "de-123.456.789", addressLine2: null });
    const entries = await billingActivities(t.db, seeded.org.id);
    expect(entries.map((a) => [a.type, a.targetLabel])).toEqual([["billing.updated", "Acme GmbH"]]);

    await save({ city: "München", postalCode: "80331" });
    expect(await billingActivities(t.db, seeded.org.id)).toHaveLength(2);
    expect(await readBillingDetails(t.db, seeded.owner.id, { name: seeded.org.name })).toMatchObject({
      city: "München",
      postalCode: "80331",
    });
  });
});

describe("payment methods", () => {
  it("cannot be removed while on a paid plan; on Starter it can, with one payment_method.removed", async () => {
    const seeded = await seedBillingOrg(t.db);
    await upgradeWithTestCard(t.db, seeded);

    const refused = await expectAppError(removePaymentMethod(t.db, seeded.actor, { org: { name: seeded.org.name } }), "conflict");
    expect(refused.message).toMatch(/Pro plan, which needs a payment method/);
    expect(await paymentMethodOf(t.db, seeded.org.id)).toBeDefined();

    await changePlan(t.db, seeded.actor, { org: { name: seeded.org.name }, plan: "starter" }, testProvider);
    await endBillingPeriod(t.db);
    await removePaymentMethod(t.db, seeded.actor, { org: { name: seeded.org.name } });
    expect(await paymentMethodOf(t.db, seeded.org.id)).toBeUndefined();
    const removed = await billingActivities(t.db, seeded.org.id, ["payment_method.removed"]);
    expect(removed.map((a) => [a.targetLabel, a.metadata])).toEqual([["Visa •••• 4242", { brand: "visa", last4: "4242" }]]);

    await expectAppError(removePaymentMethod(t.db, seeded.actor, { org: { name: seeded.org.name } }), "not_found");
    expect(await billingActivities(t.db, seeded.org.id, ["payment_method.removed"])).toHaveLength(1);
    // Without a card, a paid plan goes through a checkout again.
    expect((await changePlan(t.db, seeded.actor, { org: { name: seeded.org.name }, plan: "pro" }, testProvider)).status).toBe("checkout");
  });

  it("are replaced through a checkout without a plan: one payment_method.replaced, the plan untouched", async () => {
    const seeded = await seedBillingOrg(t.db);
    await upgradeWithTestCard(t.db, seeded);
    const { checkoutId, url } = await replacePaymentMethod(t.db, seeded.actor, { org: { name: seeded.org.name } }, testProvider);
    expect(url).toBe(`/checkout/${checkoutId}`);

    const paid = await payTest(t.db, seeded.actor, checkoutId, "5555 5555 5555 4444", { expiry: "03/31" });
    expect(paid.returnPath).toBe(`/orgs/${seeded.org.name}/settings/billing?checkout=${checkoutId}`);

    expect(await paymentMethodOf(t.db, seeded.org.id)).toMatchObject({ brand: "mastercard", last4: "4444", expMonth: 3, expYear: 2031 });
    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("pro");
    const entries = await billingActivities(t.db, seeded.org.id, ["payment_method.added", "payment_method.replaced", "plan.changed"]);
    expect(entries.map((a) => a.type)).toEqual(["payment_method.added", "plan.changed", "payment_method.replaced"]);
    expect(entries[2]!.metadata).toMatchObject({ brand: "mastercard", last4: "4444", replaced: "Visa •••• 4242" });
    expect(await readCheckout(t.db, seeded.owner.id, { name: seeded.org.name }, checkoutId)).toEqual({ state: "completed", plan: null });
  });

  it("need billing information first", async () => {
    const seeded = await seedBillingOrg(t.db, { details: false });
    const error = await expectAppError(
      replacePaymentMethod(t.db, seeded.actor, { org: { name: seeded.org.name } }, testProvider),
      "conflict",
    );
    expect(error.message).toBe(BILLING_DETAILS_FIRST);
  });
});

describe("requestEnterprisePlan", () => {
  it("e-mails the sales address and records plan.enterprise_requested", async () => {
    await awayFromWindowEdge(86_400);
    const seeded = await seedBillingOrg(t.db);
    await requestEnterprisePlan(t.db, seeded.actor, { org: { name: seeded.org.name }, seats: "120", message: "We need SSO." });

    const mails = (await emailsTo(t.db, SALES, "enterprise-request")).filter((m) => m.subject.includes(seeded.org.name));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`Enterprise plan request from ${seeded.org.name}`);
    expect(mails[0]!.text).toContain(seeded.owner.email);
    expect(mails[0]!.text).toContain("Seats wanted: 120");
    expect(mails[0]!.text).toContain("We need SSO.");
    const entries = await billingActivities(t.db, seeded.org.id, ["plan.enterprise_requested"]);
    expect(entries.map((a) => a.metadata)).toEqual([{ seats: 120 }]);
    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("starter");
  });

  it("refuses a bad seat count, and a fourth request in a day", async () => {
    await awayFromWindowEdge(86_400);
    const seeded = await seedBillingOrg(t.db);
    const ask = (seats: unknown) => requestEnterprisePlan(t.db, seeded.actor, { org: { name: seeded.org.name }, seats, message: "" });
    for (const seats of ["", "many", 0, -5, 2.5, 2_000_000]) {
      const error = await expectAppError(ask(seats), "validation");
      expect(Object.keys(error.fieldErrors)).toEqual(["seats"]);
    }
    for (let i = 0; i < 3; i++) await ask(60);
    await expectAppError(ask(60), "rate_limited");
    expect(await billingActivities(t.db, seeded.org.id, ["plan.enterprise_requested"])).toHaveLength(3);
    expect((await emailsTo(t.db, SALES, "enterprise-request")).filter((m) => m.subject.includes(seeded.org.name))).toHaveLength(3);
  });
});

describe("a non-member", () => {
  it("gets not_found from every billing function, and changes nothing", async () => {
    const seeded = await seedBillingOrg(t.db);
    const checkout = await changePlan(t.db, seeded.actor, { org: { name: seeded.org.name }, plan: "pro" }, testProvider);
    if (checkout.status !== "checkout") throw new Error("expected a checkout");
    const stranger = await seedUser(t.db);
    const actor = actorOf(stranger);
    const orgName = seeded.org.name;

    // The org named as a form names it, and by id as a token or a seed does.
    const attempts = (org: OrgRef): [string, () => Promise<unknown>][] => [
      ["changePlan", () => changePlan(t.db, actor, { org, plan: "scale" }, testProvider)],
      ["changePlan (downgrade)", () => changePlan(t.db, actor, { org, plan: "starter" }, testProvider)],
      ["updateBillingDetails", () => updateBillingDetails(t.db, actor, { org, details: billingInput({ name: "Hijacked" }) })],
      ["readBillingDetails", () => readBillingDetails(t.db, stranger.id, org)],
      ["getBillingOverview", () => getBillingOverview(t.db, stranger.id, org)],
      ["replacePaymentMethod", () => replacePaymentMethod(t.db, actor, { org }, testProvider)],
      ["removePaymentMethod", () => removePaymentMethod(t.db, actor, { org })],
      ["requestEnterprisePlan", () => requestEnterprisePlan(t.db, actor, { org, seats: 10, message: "" })],
      ["readCheckout", () => readCheckout(t.db, stranger.id, org, checkout.checkoutId)],
      ["getTestCheckout", () => getTestCheckout(t.db, stranger.id, checkout.checkoutId)],
      ["payTestCheckout", () => payTest(t.db, actor, checkout.checkoutId, "4242424242424242")],
      ["getTestCheckout (malformed id)", () => getTestCheckout(t.db, seeded.owner.id, "../checkouts")],
    ];
    for (const org of [{ name: orgName }, { id: seeded.org.id }]) {
      for (const [name, attempt] of attempts(org)) {
        const error = await expectAppError(attempt(), "not_found");
        expect(error.message, `${name} ${JSON.stringify(org)}`).not.toContain(orgName);
      }
    }
    // A missing org answers the same as someone else's.
    await expectAppError(
      changePlan(t.db, seeded.actor, { org: { name: "no-such-org-here" }, plan: "pro" }, testProvider),
      "not_found",
    ).then((error) => expect(error.message).toBe(ORG_NOT_FOUND));
    await expectAppError(changePlan(t.db, seeded.actor, { org: { name: 42 }, plan: "pro" }, testProvider), "not_found");
    await expectAppError(changePlan(t.db, seeded.actor, { org: { id: "not-a-uuid" }, plan: "pro" }, testProvider), "not_found");

    expect(await orgRow(t.db, seeded.org.id)).toMatchObject({ plan: "starter" });
    expect(await paymentMethodOf(t.db, seeded.org.id)).toBeUndefined();
    expect(await readBillingDetails(t.db, seeded.owner.id, { name: orgName })).toMatchObject({ name: "Acme GmbH" });
    expect((await billingActivities(t.db, seeded.org.id)).map((a) => a.type)).toEqual(["billing.updated"]);
    expect((await emailsTo(t.db, SALES, "enterprise-request")).filter((m) => m.subject.includes(orgName))).toEqual([]);
  });
});

describe("card numbers", () => {
  it("are stored nowhere in the database, after a decline and a payment", async () => {
    const seeded = await seedBillingOrg(t.db);
    const first = await changePlan(t.db, seeded.actor, { org: { name: seeded.org.name }, plan: "pro" }, testProvider);
    if (first.status !== "checkout") throw new Error("expected a checkout");
    await expectAppError(payTest(t.db, seeded.actor, first.checkoutId, "4000 0000 0000 0002"), "validation");
    await expectAppError(payTest(t.db, seeded.actor, first.checkoutId, "4000000000000002", { cvc: "999" }), "validation");
    await payTest(t.db, seeded.actor, first.checkoutId, "4242 4242 4242 4242", { cvc: "737" });
    const replace = await replacePaymentMethod(t.db, seeded.actor, { org: { name: seeded.org.name } }, testProvider);
    await payTest(t.db, seeded.actor, replace.checkoutId, "4242-4242-4242-4242");
    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("pro");

    const tables = rowsOf<{ table_name: string }>(
      await t.db.execute(
        sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
      ),
    ).map((r) => r.table_name);
    expect(tables).toEqual(expect.arrayContaining(["activities", "checkouts", "payment_methods", "billing_details", "emails"]));

    const forbidden = ["4242424242424242", "4242 4242 4242 4242", "4242-4242-4242-4242", "4000000000000002", "4000 0000 0000 0002"];
    let rowsSeen = 0;
    for (const table of tables) {
      const rows = rowsOf<{ row: string }>(await t.db.execute(sql.raw(`select t::text as row from "${table}" t`)));
      rowsSeen += rows.length;
      for (const { row } of rows) {
        for (const number of forbidden) expect(row.includes(number), `${table} holds ${number}: ${row}`).toBe(false);
      }
    }
    expect(rowsSeen).toBeGreaterThan(10);
    // What is kept is enough to recognise the card.
    expect(await paymentMethodOf(t.db, seeded.org.id)).toMatchObject({ brand: "visa", last4: "4242" });
  });
});

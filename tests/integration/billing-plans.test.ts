import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { checkouts } from "@/db/schema";
import { readCheckout } from "@/lib/billing/checkouts";
import { getBillingOverview } from "@/lib/billing/overview";
import { changePlan } from "@/lib/billing/plan-change";
import { testProvider } from "@/lib/billing/provider";
import { getTestCheckout } from "@/lib/billing/test-checkout";

import {
  addMembers,
  billingActivities,
  checkoutRow,
  checkoutsOf,
  FUTURE_EXPIRY_YEAR,
  inviteFresh,
  orgRow,
  paymentMethodOf,
  payTest,
  seedBillingOrg,
  upgradeWithTestCard,
} from "../helpers/billing";
import { endBillingPeriod } from "../helpers/billing-cycle";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";

/* Plan changes through the built-in test checkout (the provider without STRIPE_SECRET_KEY). */
const t = setupTestDatabase();

const change = (seeded: { actor: Parameters<typeof changePlan>[1]; org: { name: string } }, plan: unknown) =>
  changePlan(t.db, seeded.actor, { org: { name: seeded.org.name }, plan }, testProvider);

async function checkoutFor(seeded: Awaited<ReturnType<typeof seedBillingOrg>>, plan = "pro") {
  const result = await change(seeded, plan);
  if (result.status !== "checkout") throw new Error(`expected a checkout, got ${result.status}`);
  return result;
}

describe("upgrading", () => {
  it("without billing information answers needs_billing_details and changes nothing", async () => {
    const seeded = await seedBillingOrg(t.db, { details: false });
    expect(await change(seeded, "pro")).toEqual({ status: "needs_billing_details" });
    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("starter");
    expect(await checkoutsOf(t.db, seeded.org.id)).toEqual([]);
    expect(await billingActivities(t.db, seeded.org.id)).toEqual([]);
  });

  it("to the current plan is unchanged", async () => {
    const seeded = await seedBillingOrg(t.db);
    expect(await change(seeded, "starter")).toEqual({ status: "unchanged" });
    expect(await billingActivities(t.db, seeded.org.id, ["plan.changed"])).toEqual([]);
  });

  it("with billing information and no card starts a test checkout; the org stays on Starter", async () => {
    const seeded = await seedBillingOrg(t.db);
    const result = await checkoutFor(seeded);
    expect(result.url).toBe(`/checkout/${result.checkoutId}`);
    expect(await checkoutRow(t.db, result.checkoutId)).toMatchObject({
      provider: "test",
      plan: "pro",
      status: "open",
      startedBy: seeded.owner.id,
    });
    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("starter");
    const view = await getTestCheckout(t.db, seeded.owner.id, result.checkoutId);
    expect(view).toMatchObject({
      state: "open",
      orgName: seeded.org.name,
      returnPath: `/orgs/${seeded.org.name}/settings/plan?checkout=${result.checkoutId}`,
    });
    expect(await readCheckout(t.db, seeded.owner.id, { name: seeded.org.name }, result.checkoutId)).toEqual({ state: "open", plan: "pro" });
  });

  it("a declined card leaves the org on Starter and records one plan.upgrade_failed", async () => {
    const seeded = await seedBillingOrg(t.db);
    const { checkoutId } = await checkoutFor(seeded);

    const error = await expectAppError(payTest(t.db, seeded.actor, checkoutId, "4000 0000 0000 0002"), "validation");
    expect(error.message).toBe("Your card was declined.");

    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("starter");
    expect(await paymentMethodOf(t.db, seeded.org.id)).toBeUndefined();
    expect((await checkoutRow(t.db, checkoutId))!.status).toBe("open");
    const failures = await billingActivities(t.db, seeded.org.id, ["plan.upgrade_failed"]);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.metadata).toMatchObject({ plan: "pro", reason: expect.stringContaining("Your card was declined.") });
    expect(await billingActivities(t.db, seeded.org.id, ["plan.changed", "payment_method.added"])).toEqual([]);
  });

  it.each<[string, { number?: string; expiry?: string; cvc?: string }, string[]]>([
    ["a number failing the checksum", { number: "4242 4242 4242 4241" }, ["cardNumber"]],
    ["an expiry in the past", { expiry: "01 / 20" }, ["cardExpiry"]],
    ["a short CVC", { cvc: "12" }, ["cardCvc"]],
    ["all three wrong", { number: "1234", expiry: "13/99", cvc: "" }, ["cardCvc", "cardExpiry", "cardNumber"]],
  ])("an invalid card (%s) gives field errors and records nothing", async (_label, card, fields) => {
    const seeded = await seedBillingOrg(t.db);
    const { checkoutId } = await checkoutFor(seeded);
    const before = await billingActivities(t.db, seeded.org.id);

    const error = await expectAppError(payTest(t.db, seeded.actor, checkoutId, card.number ?? "4242424242424242", card), "validation");
    expect(Object.keys(error.fieldErrors).sort()).toEqual(fields);

    expect(await billingActivities(t.db, seeded.org.id)).toEqual(before);
    expect(await paymentMethodOf(t.db, seeded.org.id)).toBeUndefined();
    expect((await checkoutRow(t.db, checkoutId))!.status).toBe("open");
  });

  it("4242 saves the card and moves the org to Pro, with one entry each", async () => {
    const seeded = await seedBillingOrg(t.db);
    const { checkoutId } = await checkoutFor(seeded);

    const paid = await payTest(t.db, seeded.actor, checkoutId, "4242 4242 4242 4242");
    expect(paid).toEqual({
      returnPath: `/orgs/${seeded.org.name}/settings/plan?checkout=${checkoutId}`,
      message: "Visa •••• 4242 was saved",
    });

    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("pro");
    expect(await paymentMethodOf(t.db, seeded.org.id)).toMatchObject({
      provider: "test",
      // What charging it will do, never the number.
      providerRef: "test_card",
      brand: "visa",
      last4: "4242",
      expMonth: 12,
      expYear: FUTURE_EXPIRY_YEAR,
    });
    expect(await checkoutRow(t.db, checkoutId)).toMatchObject({ status: "completed", completedAt: expect.any(Date) });
    const entries = await billingActivities(t.db, seeded.org.id, ["payment_method.added", "plan.changed", "plan.upgrade_failed"]);
    expect(entries.map((a) => a.type)).toEqual(["payment_method.added", "plan.changed"]);
    expect(entries[0]!.metadata).toMatchObject({ brand: "visa", last4: "4242", expMonth: 12, expYear: FUTURE_EXPIRY_YEAR });
    // The first period's invoice (Germany with a VAT number: reverse charge) is named by the plan's entry.
    expect(entries[1]!.metadata).toEqual({
      from: "starter",
      to: "pro",
      invoice: expect.stringMatching(/^INV-\d{6}$/),
      chargedCents: 2900,
      periodEnd: expect.any(String),
    });
    expect(entries[1]!.targetLabel).toBe("Starter → Pro");

    const overview = await getBillingOverview(t.db, seeded.owner.id, { name: seeded.org.name });
    expect(overview.usage).toMatchObject({ members: 1, pending: 0, limit: 10 });
    expect(overview.paymentMethod).toMatchObject({ last4: "4242" });
  });

  it("paying the same checkout twice: the second is refused and records nothing", async () => {
    const seeded = await seedBillingOrg(t.db);
    const { checkoutId } = await checkoutFor(seeded);
    await payTest(t.db, seeded.actor, checkoutId, "4242424242424242");
    const before = await billingActivities(t.db, seeded.org.id);

    const again = await expectAppError(payTest(t.db, seeded.actor, checkoutId, "5555 5555 5555 4444"), "conflict");
    expect(again.message).toBe("This checkout is already complete.");
    expect(await billingActivities(t.db, seeded.org.id)).toEqual(before);
    expect(await paymentMethodOf(t.db, seeded.org.id)).toMatchObject({ brand: "visa", last4: "4242" });
  });

  it("a payment page takes 10 attempts an hour, then refuses more, as providers do against card testing", async () => {
    const seeded = await seedBillingOrg(t.db);
    const { checkoutId } = await checkoutFor(seeded);
    for (let attempt = 0; attempt < 10; attempt++) {
      await expectAppError(payTest(t.db, seeded.actor, checkoutId, "4000 0000 0000 0002"), "validation");
    }
    const refused = await expectAppError(payTest(t.db, seeded.actor, checkoutId, "4242 4242 4242 4242"), "rate_limited");
    expect(refused.message).toMatch(/Too many attempts on this payment page/);
    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("starter");
    expect(await billingActivities(t.db, seeded.org.id, ["plan.upgrade_failed"])).toHaveLength(10);
  });

  it("a payment page past its 24 hours is refused, and the org stays as it was", async () => {
    const seeded = await seedBillingOrg(t.db);
    const { checkoutId } = await checkoutFor(seeded);
    await t.db
      .update(checkouts)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(checkouts.id, checkoutId));

    expect((await getTestCheckout(t.db, seeded.owner.id, checkoutId)).state).toBe("expired");
    expect(await readCheckout(t.db, seeded.owner.id, { name: seeded.org.name }, checkoutId)).toEqual({ state: "expired", plan: "pro" });
    const error = await expectAppError(payTest(t.db, seeded.actor, checkoutId, "4242424242424242"), "conflict");
    expect(error.message).toMatch(/expired/);
    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("starter");
    expect(await paymentMethodOf(t.db, seeded.org.id)).toBeUndefined();
  });

  it("two submits of one checkout at once: one saves, the other is refused", async () => {
    const seeded = await seedBillingOrg(t.db);
    const { checkoutId } = await checkoutFor(seeded);
    const results = await Promise.allSettled([
      payTest(t.db, seeded.actor, checkoutId, "4242424242424242"),
      payTest(t.db, seeded.actor, checkoutId, "4242424242424242"),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const entries = await billingActivities(t.db, seeded.org.id, ["payment_method.added", "payment_method.replaced", "plan.changed"]);
    expect(entries.map((a) => a.type)).toEqual(["payment_method.added", "plan.changed"]);
  });

  it("an older checkout for a smaller plan, paid after a larger one, saves the card but keeps the larger plan", async () => {
    const seeded = await seedBillingOrg(t.db);
    const pro = await checkoutFor(seeded, "pro");
    const scale = await checkoutFor(seeded, "scale");
    await payTest(t.db, seeded.actor, scale.checkoutId, "4242424242424242");
    await payTest(t.db, seeded.actor, pro.checkoutId, "5555555555554444");
    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("scale");
    expect((await paymentMethodOf(t.db, seeded.org.id))?.last4).toBe("4444");
    const entries = await billingActivities(t.db, seeded.org.id, ["payment_method.added", "payment_method.replaced", "plan.changed"]);
    expect(entries.map((a) => a.type)).toEqual(["payment_method.added", "plan.changed", "payment_method.replaced"]);
  });

  it("with a card on file, moving to Scale applies at once, the difference charged", async () => {
    const seeded = await seedBillingOrg(t.db);
    await upgradeWithTestCard(t.db, seeded);
    expect(await change(seeded, "scale")).toEqual({ status: "changed", from: "pro", to: "scale" });
    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("scale");
    expect(await checkoutsOf(t.db, seeded.org.id)).toHaveLength(1);
    const changes = await billingActivities(t.db, seeded.org.id, ["plan.changed"]);
    expect(changes.map((a) => a.metadata)).toEqual([
      expect.objectContaining({ from: "starter", to: "pro", chargedCents: 2900 }),
      expect.objectContaining({ from: "pro", to: "scale", proration: expect.objectContaining({ amountCents: expect.any(Number) }) }),
    ]);
  });

  it("refuses Enterprise (arranged with sales) and unknown plans", async () => {
    const seeded = await seedBillingOrg(t.db);
    await upgradeWithTestCard(t.db, seeded);
    const enterprise = await expectAppError(change(seeded, "enterprise"), "validation");
    expect(enterprise.message).toMatch(/sales/);
    for (const plan of ["gold", "Pro", "", null, 3, { plan: "pro" }, "constructor", "__proto__"]) {
      const error = await expectAppError(change(seeded, plan), "validation");
      expect(error.fieldErrors).toEqual({ plan: ["Choose one of the plans."] });
    }
    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("pro");
    expect(await billingActivities(t.db, seeded.org.id, ["plan.changed"])).toHaveLength(1);
  });
});

describe("downgrading", () => {
  it.each([
    [
      "5 members",
      4,
      0,
      "Starter allows 3 members, and ORG has 5 members. Remove 2 members or pending invitations before moving to Starter.",
    ],
    [
      "4 members and 1 pending invitation",
      3,
      1,
      "Starter allows 3 members, and ORG has 4 members and 1 pending invitation. Remove 2 members or pending invitations before moving to Starter.",
    ],
    [
      "3 members and 1 pending invitation",
      2,
      1,
      "Starter allows 3 members, and ORG has 3 members and 1 pending invitation. Remove 1 member or pending invitation before moving to Starter.",
    ],
  ])("to Starter with %s is refused, saying how many to remove", async (_label, extraMembers, pending, message) => {
    const seeded = await seedBillingOrg(t.db);
    await upgradeWithTestCard(t.db, seeded);
    await addMembers(t.db, seeded.org, extraMembers);
    await inviteFresh(t.db, seeded.actor, seeded.org, pending);
    const before = await billingActivities(t.db, seeded.org.id);

    const error = await expectAppError(change(seeded, "starter"), "limit_reached");
    expect(error.message).toBe(message.replace("ORG", seeded.org.name));

    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("pro");
    expect(await billingActivities(t.db, seeded.org.id)).toEqual(before);
  });

  it("to Starter when the seats fit applies at the period's end and records one plan.changed then", async () => {
    const seeded = await seedBillingOrg(t.db);
    await upgradeWithTestCard(t.db, seeded, "scale");
    await addMembers(t.db, seeded.org, 1);
    await inviteFresh(t.db, seeded.actor, seeded.org, 1);

    expect(await change(seeded, "starter")).toEqual({ status: "cancel_scheduled", endsAt: expect.any(Date) });
    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("scale");
    await endBillingPeriod(t.db);

    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("starter");
    const changes = await billingActivities(t.db, seeded.org.id, ["plan.changed"]);
    expect(changes.map((a) => a.metadata)).toEqual([
      expect.objectContaining({ from: "starter", to: "scale" }),
      expect.objectContaining({ from: "scale", to: "starter", reason: "cancelled" }),
    ]);
    // The card stays on file: moving up again needs no checkout.
    expect(await paymentMethodOf(t.db, seeded.org.id)).toBeDefined();
    expect(await change(seeded, "pro")).toEqual({ status: "changed", from: "starter", to: "pro" });
  });

  it("from Scale to Pro checks Pro's limit of 10", async () => {
    const seeded = await seedBillingOrg(t.db);
    await upgradeWithTestCard(t.db, seeded, "scale");
    await addMembers(t.db, seeded.org, 10);
    const error = await expectAppError(change(seeded, "pro"), "limit_reached");
    expect(error.message).toBe(
      `Pro allows 10 members, and ${seeded.org.name} has 11 members. Remove 1 member or pending invitation before moving to Pro.`,
    );
    expect((await orgRow(t.db, seeded.org.id)).plan).toBe("scale");
  });
});

import { describe, expect, it } from "vitest";

import { updateBillingDetails } from "@/lib/billing/billing-details";
import { changePlan } from "@/lib/billing/plan-change";
import { testProvider } from "@/lib/billing/provider";
import { payTestCheckout } from "@/lib/billing/test-checkout";
import { inviteMembers } from "@/lib/invitations/invite";

import { callApi, seedApiToken } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import { actorOf, addMember, seedOrg, seedUser, uniqueEmail } from "../helpers/seed";

const t = setupTestDatabase();

const details = {
  name: "Ada's Company",
  email: "billing@example.test",
  addressLine1: "1 Rue de la Paix",
  city: "Paris",
  postalCode: "75002",
  country: "FR",
  taxId: "FR 12 345678901",
};

async function orgWithToken() {
  const owner = await seedUser(t.db, { name: "Ada Admin" });
  const org = await seedOrg(t.db, owner);
  const token = await seedApiToken(t.db, owner, org, "billing-bot");
  return { owner, org, auth: { token: token.token } };
}

describe("GET /plan", () => {
  it("gives the plan, the seats it allows and uses, and every plan offered", async () => {
    const { owner, org, auth } = await orgWithToken();
    await addMember(t.db, (await seedUser(t.db)).id, org.id);
    await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: uniqueEmail("pending") });
    const answer = await callApi(t.db, "GET", "/plan", auth);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      plan: "starter",
      name: "Starter",
      seatLimit: 3,
      seatsUsed: { members: 2, pendingInvitations: 1, total: 3 },
      plans: [
        {
          id: "starter",
          name: "Starter",
          priceMonthlyUsd: 0,
          priceMonthlyCents: 0,
          maxMembers: 3,
          maxApps: 10,
          includedAppHours: 0,
          appHourCents: 0,
        },
        {
          id: "pro",
          name: "Pro",
          priceMonthlyUsd: 29,
          priceMonthlyCents: 2900,
          maxMembers: 10,
          maxApps: 100,
          includedAppHours: 750,
          appHourCents: 2,
        },
        {
          id: "scale",
          name: "Scale",
          priceMonthlyUsd: 299,
          priceMonthlyCents: 29900,
          maxMembers: 50,
          maxApps: 1000,
          includedAppHours: 7500,
          appHourCents: 1,
        },
        {
          id: "enterprise",
          name: "Enterprise",
          priceMonthlyUsd: null,
          priceMonthlyCents: null,
          maxMembers: null,
          maxApps: null,
          includedAppHours: 0,
          appHourCents: 0,
        },
      ],
    });
  });
});

describe("GET /billing", () => {
  it("is empty until billing information and a card are added", async () => {
    const { auth } = await orgWithToken();
    const answer = await callApi(t.db, "GET", "/billing", auth);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ details: null, paymentMethod: null });
  });

  it("gives the billing information and only brand, last 4 and expiry of the card", async () => {
    const { owner, org, auth } = await orgWithToken();
    const actor = actorOf(owner);
    await updateBillingDetails(t.db, actor, { org: { name: org.name }, details });
    const change = await changePlan(t.db, actor, { org: { name: org.name }, plan: "pro" }, testProvider);
    if (change.status !== "checkout") throw new Error(`expected a checkout, got ${change.status}`);
    await payTestCheckout(t.db, actor, {
      checkoutId: change.checkoutId,
      cardNumber: "4242 4242 4242 4242",
      cardExpiry: "11/35",
      cardCvc: "123",
    });

    const answer = await callApi(t.db, "GET", "/billing", auth);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      details: { ...details, addressLine2: null, taxId: "FR12345678901" },
      paymentMethod: { brand: "visa", last4: "4242", expMonth: 11, expYear: 2035 },
    });
    expect(Object.keys(answer.body.paymentMethod).sort()).toEqual(["addedAt", "brand", "expMonth", "expYear", "last4"]);
    expect(answer.text).not.toMatch(/4242\s?4242\s?4242/);
    expect((await callApi(t.db, "GET", "/plan", auth)).body).toMatchObject({ plan: "pro", seatLimit: 10 });
  });

  it("needs a valid token", async () => {
    const answer = await callApi(t.db, "GET", "/billing", { token: "oc_not-a-real-token" });
    expect(answer.status).toBe(401);
  });
});

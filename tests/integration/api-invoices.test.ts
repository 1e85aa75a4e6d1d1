import { describe, expect, it } from "vitest";

import { createApp } from "@/lib/apps/apps";

import { callApi, seedApiToken } from "../helpers/api";
import { seedBillingOrg, upgradeWithTestCard } from "../helpers/billing";
import { DAY_SECONDS, invoicesOf } from "../helpers/billing-cycle";
import { setupTestDatabase } from "../helpers/db";
import { runJobs } from "../helpers/jobs";
import { addMember, seedUser } from "../helpers/seed";

const t = setupTestDatabase();

async function proOrgWithToken() {
  const seeded = await seedBillingOrg(t.db);
  await upgradeWithTestCard(t.db, seeded, "pro");
  await runJobs(t.db);
  const token = await seedApiToken(t.db, seeded.owner, seeded.org, "accounting");
  return { ...seeded, auth: { token: token.token } };
}

describe("GET /invoices and /invoices/{id}", () => {
  it("lists the org's invoices and gives one with its lines, in integer cents", async () => {
    const { org, auth } = await proOrgWithToken();
    const [invoice] = await invoicesOf(t.db, org.id);
    const list = await callApi(t.db, "GET", "/invoices", auth);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      data: [
        {
          id: invoice!.id,
          number: invoice!.number,
          kind: "period",
          status: "paid",
          currency: "usd",
          periodStart: invoice!.periodStart.toISOString(),
          periodEnd: invoice!.periodEnd.toISOString(),
          totalCents: 2900,
          issuedAt: expect.any(String),
          paidAt: expect.any(String),
          nextAttemptAt: null,
        },
      ],
    });
    const one = await callApi(t.db, "GET", `/invoices/${invoice!.id}`, auth);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      number: invoice!.number,
      plan: "pro",
      billTo: { name: "Acme GmbH", country: "DE", taxId: "DE123456789" },
      lines: [{ kind: "plan", description: expect.stringMatching(/^Pro plan, /), quantity: 1, unitAmountCents: 2900, amountCents: 2900 }],
      subtotalCents: 2900,
      taxLabel: "Reverse charge",
      reverseCharge: true,
      taxCents: 0,
      totalCents: 2900,
    });
  });

  it("answers 404 for another org's invoice or a malformed id, and 403 to a member's token", async () => {
    const mine = await proOrgWithToken();
    const other = await proOrgWithToken();
    const [theirs] = await invoicesOf(t.db, other.org.id);
    expect((await callApi(t.db, "GET", `/invoices/${theirs!.id}`, mine.auth)).status).toBe(404);
    expect((await callApi(t.db, "GET", "/invoices/not-a-uuid", mine.auth)).status).toBe(404);

    const member = await seedUser(t.db);
    await addMember(t.db, member.id, mine.org.id, "member");
    const memberToken = await seedApiToken(t.db, member, mine.org, "ci");
    const refused = await callApi(t.db, "GET", "/invoices", { token: memberToken.token });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/Only owners and billing managers/);
  });
});

describe("GET /billing/usage", () => {
  it("gives the period's app-hours so far and the forecast", async () => {
    const { org, actor, auth } = await proOrgWithToken();
    await createApp(t.db, actor, { org: { name: org.name }, name: "web" });
    const { advanceBillingClock } = await import("@/lib/billing/clock");
    await advanceBillingClock(t.db, DAY_SECONDS);
    const answer = await callApi(t.db, "GET", "/billing/usage", auth);
    expect(answer.status).toBe(200);
    const [invoice] = await invoicesOf(t.db, org.id);
    const periodHours = Math.round((invoice!.periodEnd.getTime() - invoice!.periodStart.getTime()) / 3_600_000);
    expect(answer.body).toMatchObject({
      plan: "pro",
      periodStart: invoice!.periodStart.toISOString(),
      periodEnd: invoice!.periodEnd.toISOString(),
      appHours: 25, // a day and a moment, rounded up to the hour
      runningApps: 1,
      includedAppHours: 750,
      appHourCents: 2,
      chargeSoFarCents: 0,
    });
    // The app started a moment after the period: its forecast is the period's hours, give or take the rounding.
    expect(answer.body.forecastAppHours).toBe(periodHours);
    expect(answer.body.forecastChargeCents).toBe(Math.max(0, periodHours - 750) * 2);
  });
});

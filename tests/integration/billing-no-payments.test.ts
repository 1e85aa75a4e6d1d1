import { describe, expect, it } from "vitest";

import { replacePaymentMethod } from "@/lib/billing/payment-methods";
import { changePlan } from "@/lib/billing/plan-change";
import { noPaymentsProvider } from "@/lib/billing/provider";

import { billingActivities, checkoutsOf, planOf, seedBillingOrg } from "../helpers/billing";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";

/* A production server with neither Stripe nor BILLING_TEST_MODE: paid plans say so, and nothing is written. */
const t = setupTestDatabase();

describe("without a payment provider", () => {
  it("an upgrade is refused as unavailable and leaves no checkout and no entry", async () => {
    const seeded = await seedBillingOrg(t.db);
    const before = await billingActivities(t.db, seeded.org.id);
    const upgrade = await expectAppError(
      changePlan(t.db, seeded.actor, { org: { name: seeded.org.name }, plan: "pro" }, noPaymentsProvider),
      "unavailable",
    );
    expect(upgrade.message).toMatch(/payments are not configured/);
    await expectAppError(replacePaymentMethod(t.db, seeded.actor, { org: { name: seeded.org.name } }, noPaymentsProvider), "unavailable");
    expect(await planOf(t.db, seeded.org.id)).toBe("starter");
    expect(await checkoutsOf(t.db, seeded.org.id)).toEqual([]);
    expect(await billingActivities(t.db, seeded.org.id)).toEqual(before);
  });
});

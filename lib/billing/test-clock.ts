import "server-only";

import type { Db } from "@/db";
import type { Actor } from "@/lib/core/actor";
import { paymentProviderId } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { runDueJobs } from "@/lib/jobs/drain";
import { requireMembership, type OrgRef } from "@/lib/orgs/access";

import { advanceBillingClock, billingNow } from "./clock";
import { runBillingCycle } from "./cycle";

/** The steps the billing page's test clock offers, in days (a month is 31 days: past any period's end). */
export const TEST_CLOCK_STEPS = [1, 31] as const;

export interface TestClockAdvance {
  now: Date;
  renewed: number;
  retried: number;
  charges: number;
}

/**
 * The billing page's test clock (test mode only): moves billing's time forward,
 * then does at once what the worker would do over that time (renews the periods
 * that ended, queues the retries that are due) and runs the charges now, so the
 * page shows their outcome on return. The clock is the server's, shared by every
 * org, as a Stripe test clock is; only owners and billing managers may move it.
 * Not one transaction: each renewal and charge takes its org's lock on its own.
 */
export async function advanceTestClock(db: Db, actor: Actor, input: { org: OrgRef; days: unknown }): Promise<TestClockAdvance> {
  if (paymentProviderId() !== "test") throw new AppError("forbidden", "The billing clock only moves in test mode.");
  await requireMembership(db, actor.userId, input.org, "billing.manage");
  const days = typeof input.days === "string" ? Number(input.days) : input.days;
  if (!TEST_CLOCK_STEPS.some((step) => step === days)) {
    throw new AppError("validation", `Move the clock by ${TEST_CLOCK_STEPS.join(" or ")} days.`);
  }
  await advanceBillingClock(db, (days as number) * 86_400);
  const { renewed, retried } = await runBillingCycle(db);
  const { completed } = await runDueJobs(db, {}, ["billing.charge-invoice"]);
  return { now: await billingNow(db), renewed, retried, charges: completed };
}

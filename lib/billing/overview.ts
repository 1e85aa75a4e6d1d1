import "server-only";

import { eq } from "drizzle-orm";

import type { Db } from "@/db";
import { paymentMethods, type BillingDetails, type Organization, type PaymentMethod } from "@/db/schema";
import { requireMembership, type OrgRef } from "@/lib/orgs/access";
import { seatUsage, type SeatUsage } from "@/lib/orgs/seats";
import { can } from "@/lib/shared/roles";

import { getBillingDetails } from "./billing-details";

export interface BillingOverview {
  org: Organization;
  usage: SeatUsage;
  details: BillingDetails | undefined;
  paymentMethod: PaymentMethod | undefined;
}

/**
 * What the plan page ("plan": every member) and the billing page ("billing":
 * those who manage billing) show. The billing information and the card are
 * only read for a role with `billing.manage`; others get the plan and seats.
 */
export async function getBillingOverview(
  db: Db,
  userId: string,
  orgRef: OrgRef,
  view: "plan" | "billing" = "plan",
): Promise<BillingOverview> {
  const { org, role } = await requireMembership(db, userId, orgRef, view === "billing" ? "billing.manage" : "org.view");
  const managesBilling = can(role, "billing.manage");
  const [usage, details, [paymentMethod]] = await Promise.all([
    seatUsage(db, org),
    managesBilling ? getBillingDetails(db, org.id) : undefined,
    managesBilling ? db.select().from(paymentMethods).where(eq(paymentMethods.orgId, org.id)) : [],
  ]);
  return { org, usage, details, paymentMethod };
}

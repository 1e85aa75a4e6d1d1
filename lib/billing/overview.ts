import "server-only";

import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { paymentMethods, type BillingDetails, type Organization, type PaymentMethod } from "@/db/schema";
import { requireMembership, type OrgRef } from "@/lib/orgs/access";
import { seatUsage, type SeatUsage } from "@/lib/orgs/seats";
import { getBillingDetails } from "./billing-details";

export interface BillingOverview {
  org: Organization;
  usage: SeatUsage;
  details: BillingDetails | undefined;
  paymentMethod: PaymentMethod | undefined;
}

/** What the plan and billing pages (and the API) show, to members only. */
export async function getBillingOverview(db: Db, userId: string, orgRef: OrgRef): Promise<BillingOverview> {
  const { org } = await requireMembership(db, userId, orgRef);
  const [usage, details, [paymentMethod]] = await Promise.all([
    seatUsage(db, org),
    getBillingDetails(db, org.id),
    db.select().from(paymentMethods).where(eq(paymentMethods.orgId, org.id)),
  ]);
  return { org, usage, details, paymentMethod };
}

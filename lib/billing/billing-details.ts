import "server-only";

import { eq, sql } from "drizzle-orm";
import { z } from "zod";

import type { Db } from "@/db";
import { billingDetails, type BillingDetails, type InvoiceBillTo } from "@/db/schema";
import { recordActivity } from "@/lib/activity/record";
import type { Actor } from "@/lib/core/actor";
import { parseOrThrow } from "@/lib/core/parse";
import { inTransaction } from "@/lib/core/transaction";
import { lockOrgForMember, requireMembership, type OrgRef } from "@/lib/orgs/access";
import { isCountryCode } from "@/lib/shared/countries";
import { emailSchema } from "@/lib/shared/validation";

import { queueCustomerUpdate } from "./provider-jobs";
import { checkTaxId } from "./tax-id";

const line = (label: string, max: number) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .min(1, `Enter the ${label}.`)
    .max(max, `The ${label} has at most ${max} characters.`)
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), `The ${label} cannot contain control characters.`);

const optionalLine = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `The ${label} has at most ${max} characters.`)
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), `The ${label} cannot contain control characters.`)
    .transform((value) => value || null)
    .nullish()
    .transform((value) => value ?? null);

/** The billing form's rules, used by the form and, as the rule, by the server and the API. */
export const billingDetailsSchema = z
  .object({
    name: line("billing name or company", 200),
    email: emailSchema,
    addressLine1: line("address", 200),
    addressLine2: optionalLine("second address line", 200),
    city: line("city", 100),
    postalCode: line("postal code", 20),
    country: z.string({ error: "Choose a country." }).trim().toUpperCase().refine(isCountryCode, "Choose a country from the list."),
    taxId: optionalLine("tax ID", 40),
  })
  .transform((details, context) => {
    if (!details.taxId) return details;
    const taxId = checkTaxId(details.taxId, details.country);
    if (!taxId.ok) {
      context.addIssue({ code: "custom", path: ["taxId"], message: taxId.message });
      return z.NEVER;
    }
    return { ...details, taxId: taxId.value };
  });

export type BillingDetailsInput = z.output<typeof billingDetailsSchema>;

export function parseBillingDetails(input: unknown): BillingDetailsInput {
  return parseOrThrow(billingDetailsSchema, input, "Check the billing information.");
}

export async function getBillingDetails(db: Db, orgId: string): Promise<BillingDetails | undefined> {
  const [row] = await db.select().from(billingDetails).where(eq(billingDetails.orgId, orgId));
  return row;
}

/**
 * Saves the org's billing information (owners and billing managers), recording the change.
 * An org that already has a customer at the provider gets it updated (a job
 * queued in the same transaction), so its invoices carry the new name and address.
 */
export async function updateBillingDetails(db: Db, actor: Actor, input: { org: OrgRef; details: unknown }): Promise<BillingDetails> {
  const details = parseBillingDetails(input.details);
  return inTransaction(db, async (tx) => {
    const { org } = await lockOrgForMember(tx, actor.userId, input.org, "billing.manage");
    const current = await getBillingDetails(tx, org.id);
    const unchanged = current && (Object.keys(details) as (keyof BillingDetailsInput)[]).every((key) => current[key] === details[key]);
    if (unchanged) return current;
    const [saved] = await tx
      .insert(billingDetails)
      .values({ orgId: org.id, ...details })
      .onConflictDoUpdate({ target: billingDetails.orgId, set: { ...details, updatedAt: sql`now()` } })
      .returning();
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: "billing.updated",
      target: { type: "billing", id: org.id, label: details.name },
    });
    if (org.providerCustomerId) await queueCustomerUpdate(tx, { orgId: org.id, customerId: org.providerCustomerId });
    return saved!;
  });
}

/** For pages and the API: the org's billing information, to members only. */
export async function readBillingDetails(db: Db, userId: string, orgRef: OrgRef): Promise<BillingDetails | undefined> {
  const { org } = await requireMembership(db, userId, orgRef, "billing.manage");
  return getBillingDetails(db, org.id);
}

/** Who an invoice is addressed to: the billing information without its timestamps (invoices keep a copy). */
export function addresseeOf(details: BillingDetails): InvoiceBillTo {
  return {
    name: details.name,
    email: details.email,
    addressLine1: details.addressLine1,
    addressLine2: details.addressLine2,
    city: details.city,
    postalCode: details.postalCode,
    country: details.country,
    taxId: details.taxId,
  };
}

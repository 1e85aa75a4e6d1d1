import "server-only";

import { z } from "zod";

import { addresseeOf } from "@/lib/billing/billing-details";
import { getBillingOverview } from "@/lib/billing/overview";
import { planLabel, PLANS } from "@/lib/shared/plans";

import { defineEndpoint } from "../endpoint";
import { iso, timestamp } from "../schemas";

const planIds = Object.keys(PLANS) as [keyof typeof PLANS, ...(keyof typeof PLANS)[]];

const planOfferSchema = z
  .object({
    id: z.enum(planIds),
    name: z.string().meta({ example: "Pro" }),
    priceMonthlyUsd: z.number().nullable().meta({ description: "Per month, in US dollars; null: priced with our sales team." }),
    priceMonthlyCents: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Per month, in US cents (integer); null: priced with our sales team." }),
    maxApps: z.number().int().nullable().meta({ description: "null: unlimited." }),
    includedAppHours: z.number().int().meta({ description: "App-hours included each month." }),
    appHourCents: z.number().int().meta({ description: "Price of each app-hour past the included ones, in US cents." }),
    maxMembers: z.number().int().nullable().meta({ description: "null: unlimited." }),
  })
  .meta({ id: "PlanOffer" });

export const planSchema = z
  .object({
    plan: z.string().meta({ description: `The current plan: ${planIds.join(", ")}.`, example: "pro" }),
    name: z.string().meta({ example: "Pro" }),
    seatLimit: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Members allowed (an org's own limit set by support wins); null: unlimited." }),
    seatsUsed: z.object({ members: z.number().int(), pendingInvitations: z.number().int(), total: z.number().int() }),
    plans: z.array(planOfferSchema).meta({ description: "Every plan, from the one plan table." }),
  })
  .meta({ id: "Plan" });

/** Who invoices are addressed to: the billing information, and the copy each invoice keeps. */
export const addresseeSchema = z.object({
  name: z.string(),
  email: z.string(),
  addressLine1: z.string(),
  addressLine2: z.string().nullable(),
  city: z.string(),
  postalCode: z.string(),
  country: z.string().meta({ description: "ISO 3166-1 alpha-2.", example: "DE" }),
  taxId: z.string().nullable().meta({ example: "DE123456789" }),
});

export const billingSchema = z
  .object({
    details: addresseeSchema
      .extend({ updatedAt: timestamp })
      .nullable()
      .meta({ description: "The billing information; null until someone enters it." }),
    paymentMethod: z
      .object({
        brand: z.string().meta({ example: "visa" }),
        last4: z.string().meta({ example: "4242" }),
        expMonth: z.number().int().meta({ example: 12 }),
        expYear: z.number().int().meta({ example: 2030 }),
        addedAt: timestamp,
      })
      .nullable()
      .meta({ description: "The card on file: brand, last 4 digits and expiry only. null: none." }),
  })
  .meta({ id: "Billing" });

export const getPlanEndpoint = defineEndpoint({
  method: "GET",
  path: "/plan",
  operationId: "getPlan",
  tag: "Billing",
  summary: "The organization's plan and seats",
  description: "Seats are members plus pending invitations. Changing the plan needs a person on the plan page (it may need a payment).",
  response: planSchema,
  responseDescription: "The current plan, the seats it allows and uses, and every plan offered.",
  handler: async (db, ctx) => {
    const { org, usage } = await getBillingOverview(db, ctx.actor.userId, { id: ctx.org.id });
    return {
      plan: org.plan,
      name: planLabel(org.plan),
      seatLimit: usage.limit,
      seatsUsed: { members: usage.members, pendingInvitations: usage.pending, total: usage.taken },
      plans: planIds.map((id) => ({
        id,
        name: PLANS[id].label,
        // Whole dollars: every price in the table is.
        priceMonthlyUsd: PLANS[id].priceMonthlyCents === null ? null : Math.trunc(PLANS[id].priceMonthlyCents / 100),
        priceMonthlyCents: PLANS[id].priceMonthlyCents,
        maxMembers: PLANS[id].maxMembers,
        maxApps: PLANS[id].maxApps,
        includedAppHours: PLANS[id].includedAppHours,
        appHourCents: PLANS[id].appHourCents,
      })),
    };
  },
});

export const getBillingEndpoint = defineEndpoint({
  method: "GET",
  path: "/billing",
  operationId: "getBilling",
  tag: "Billing",
  summary: "Billing information and payment method",
  description: "Card data never goes beyond brand, last 4 digits and expiry: the full number is never stored.",
  response: billingSchema,
  responseDescription: "The billing information and the payment method on file.",
  handler: async (db, ctx) => {
    const { details, paymentMethod } = await getBillingOverview(db, ctx.actor.userId, { id: ctx.org.id }, "billing");
    return {
      details: details ? { ...addresseeOf(details), updatedAt: iso(details.updatedAt) } : null,
      paymentMethod: paymentMethod
        ? {
            brand: paymentMethod.brand,
            last4: paymentMethod.last4,
            expMonth: paymentMethod.expMonth,
            expYear: paymentMethod.expYear,
            addedAt: iso(paymentMethod.addedAt),
          }
        : null,
    };
  },
});

import "server-only";

import Stripe from "stripe";

import type { BillingDetails } from "@/db/schema";

import type { CardDetails } from "./cards";
import type { PaymentProvider } from "./provider";

export interface StripeConfig {
  secretKey: string;
  /** Another API base URL (a local stripe-mock, or a test's fake server). */
  apiUrl?: string;
}

export function stripeClient(config: StripeConfig): Stripe {
  const base = config.apiUrl ? new URL(config.apiUrl) : undefined;
  return new Stripe(config.secretKey, {
    maxNetworkRetries: 2,
    timeout: 15_000,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === "https:" ? 443 : 80),
          protocol: base.protocol === "https:" ? "https" : "http",
        }
      : {}),
  });
}

function customerFields(billing: BillingDetails) {
  return {
    name: billing.name,
    email: billing.email,
    address: {
      line1: billing.addressLine1,
      line2: billing.addressLine2 ?? "",
      city: billing.city,
      postal_code: billing.postalCode,
      country: billing.country,
    },
  };
}

/** The Stripe provider, with its SDK client for the Stripe Billing jobs (lib/billing/stripe-billing.ts). */
export interface StripePaymentProvider extends PaymentProvider {
  id: "stripe";
  client: Stripe;
}

/** The Stripe client of a provider, or an error for another provider (a Stripe job run without Stripe). */
export function stripeClientOf(provider: PaymentProvider): Stripe {
  if (provider.id === "stripe" && "client" in provider) return (provider as StripePaymentProvider).client;
  throw new Error(`the "${provider.id}" payment provider has no Stripe client: this job needs STRIPE_SECRET_KEY`);
}

/**
 * Stripe Checkout in setup mode: Stripe's page collects the card and saves it on
 * the org's customer; `checkout.session.completed` (see stripe-webhook.ts) tells us.
 * Idempotency keys make a retried request return the same customer and session.
 */
export function stripeProvider(config: StripeConfig): StripePaymentProvider {
  const stripe = stripeClient(config);
  return {
    id: "stripe",
    client: stripe,
    async startCheckout({ checkoutId, org, billing, successUrl, cancelUrl }) {
      let customerId = org.providerCustomerId ?? undefined;
      if (!customerId) {
        const customer = await stripe.customers.create(
          { ...customerFields(billing), metadata: { org_id: org.id } },
          { idempotencyKey: `customer-${org.id}` },
        );
        customerId = customer.id;
      }
      const session = await stripe.checkout.sessions.create(
        {
          mode: "setup",
          customer: customerId,
          currency: "usd",
          client_reference_id: checkoutId,
          metadata: { checkout_id: checkoutId, org_id: org.id },
          success_url: successUrl,
          cancel_url: cancelUrl,
        },
        { idempotencyKey: `checkout-${checkoutId}` },
      );
      if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a URL`);
      return { sessionId: session.id, url: session.url, customerId };
    },
    async detachPaymentMethod(providerRef, options) {
      await alreadyGoneIsDone(stripe.paymentMethods.detach(providerRef, {}, options));
    },
    async updateCustomer(customerId, billing, options) {
      await stripe.customers.update(customerId, customerFields(billing), options);
    },
    async deleteCustomer(customerId, options) {
      await alreadyGoneIsDone(stripe.customers.del(customerId, {}, options));
    },
    async chargeInvoice() {
      // Stripe Billing charges the invoices of its subscriptions itself; its webhook tells us the outcome.
      throw new Error("invoices of Stripe subscriptions are charged by Stripe, not by a job");
    },
    async *listOrgCustomers() {
      for await (const customer of stripe.customers.list({ limit: 100 })) {
        const orgId = customer.metadata?.org_id;
        if (orgId) yield { customerId: customer.id, orgId };
      }
    },
  };
}

/**
 * A retry of a delete or detach whose first try went through finds the object
 * gone (404), or the card no longer attached: the wanted state, so done.
 */
async function alreadyGoneIsDone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) {
      if (error.statusCode === 404 || error.code === "resource_missing") return;
      if (error.statusCode === 400 && /not attached/i.test(error.message)) return;
    }
    throw error;
  }
}

/** The card a completed setup-mode session saved: brand, last 4 and expiry, and Stripe's id for it. */
export async function cardOfSetupSession(stripe: Stripe, session: Stripe.Checkout.Session): Promise<CardDetails & { providerRef: string }> {
  const setupIntentId = typeof session.setup_intent === "string" ? session.setup_intent : session.setup_intent?.id;
  if (!setupIntentId) throw new Error(`checkout session ${session.id} has no setup intent`);
  const intent = await stripe.setupIntents.retrieve(setupIntentId, { expand: ["payment_method"] });
  const method = intent.payment_method;
  if (!method || typeof method === "string" || !method.card) throw new Error(`setup intent ${intent.id} has no card`);
  return {
    providerRef: method.id,
    brand: method.card.brand,
    last4: method.card.last4,
    expMonth: method.card.exp_month,
    expYear: method.card.exp_year,
  };
}

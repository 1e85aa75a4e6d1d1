import "server-only";

import type { BillingDetails, PaymentMethod } from "@/db/schema";
import { env, paymentProviderId } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";

import { testChargeOutcome } from "./cards";
import { stripeProvider } from "./stripe";

export interface CheckoutRequest {
  checkoutId: string;
  org: { id: string; name: string; providerCustomerId: string | null };
  billing: BillingDetails;
  /** Absolute URLs the payment page sends the user back to. */
  successUrl: string;
  cancelUrl: string;
}

export interface StartedCheckout {
  /** The provider's id for the session, which its webhook names. */
  sessionId: string;
  /** Where to send the user: the provider's page, or the built-in test page. */
  url: string;
  /** The org's customer at the provider, when one was created for this checkout. */
  customerId?: string;
}

/**
 * What the console needs from a payment provider: a hosted page that collects a
 * card (the number never touches our servers or database), and a way to forget a
 * card. The card's brand, last 4 and expiry come back through `completeCheckout`.
 */
/** A retried call carries the same key: the provider then does it once. */
export interface ProviderCallOptions {
  idempotencyKey?: string;
}

export interface ChargeRequest {
  invoiceId: string;
  orgId: string;
  amountCents: number;
  currency: string;
  paymentMethod: PaymentMethod;
}

export type ChargeOutcome = { ok: true } | { ok: false; message: string };

export interface PaymentProvider {
  id: "test" | "stripe" | "none";
  startCheckout(request: CheckoutRequest): Promise<StartedCheckout>;
  /** Forgets a replaced or removed card at the provider. Done when the card is already gone. */
  detachPaymentMethod(providerRef: string, options?: ProviderCallOptions): Promise<void>;
  /** Copies changed billing information to the org's customer at the provider (for its invoices). */
  updateCustomer(customerId: string, billing: BillingDetails, options?: ProviderCallOptions): Promise<void>;
  /** Deletes the org's customer (and with it its saved cards) when the org is deleted. Done when already gone. */
  deleteCustomer(customerId: string, options?: ProviderCallOptions): Promise<void>;
  /** The customers the provider holds for orgs (its `org_id` metadata), for reconciliation. */
  listOrgCustomers(): AsyncIterable<{ customerId: string; orgId: string }>;
  /**
   * Charges an invoice of the built-in billing to the saved card. A declined card
   * is an outcome; a provider that cannot be reached throws (the job retries).
   */
  chargeInvoice(request: ChargeRequest, options?: ProviderCallOptions): Promise<ChargeOutcome>;
}

/** The built-in test checkout: our own page at /checkout/ID plays the provider. */
export const testProvider: PaymentProvider = {
  id: "test",
  async startCheckout(request) {
    return { sessionId: request.checkoutId, url: `/checkout/${request.checkoutId}` };
  },
  async detachPaymentMethod() {},
  async updateCustomer() {},
  async deleteCustomer() {},
  async *listOrgCustomers() {},
  async chargeInvoice({ paymentMethod }) {
    return testChargeOutcome(paymentMethod.providerRef);
  },
};

export const PAYMENTS_NOT_CONFIGURED = `Paid plans are not available on this server yet: payments are not configured. Contact support to upgrade.`;

/**
 * Why no paid plan can be chosen on this server, or undefined when one can: with
 * a card on file an upgrade needs no provider; without one it needs a checkout.
 */
export function upgradesUnavailableReason(hasPaymentMethod: boolean, providerId = paymentProviderId()): string | undefined {
  return hasPaymentMethod || providerId !== "none" ? undefined : PAYMENTS_NOT_CONFIGURED;
}

/** A production server with neither Stripe nor BILLING_TEST_MODE=true: no card can be taken. */
export const noPaymentsProvider: PaymentProvider = {
  id: "none",
  async startCheckout() {
    throw new AppError("unavailable", PAYMENTS_NOT_CONFIGURED);
  },
  async detachPaymentMethod() {},
  async updateCustomer() {},
  async deleteCustomer() {},
  async *listOrgCustomers() {},
  async chargeInvoice() {
    return { ok: false, message: "Payments are not configured on this server." };
  },
};

/** The provider the configuration selects: Stripe with STRIPE_SECRET_KEY, else the test checkout where allowed. */
export function paymentProvider(): PaymentProvider {
  const id = paymentProviderId();
  if (id === "none") return noPaymentsProvider;
  if (id === "test") return testProvider;
  const config = env();
  return stripeProvider({ secretKey: config.STRIPE_SECRET_KEY!, apiUrl: config.STRIPE_API_URL });
}

import "server-only";

import { and, eq } from "drizzle-orm";
import type Stripe from "stripe";

import type { Db } from "@/db";
import { checkouts, processedWebhookEvents } from "@/db/schema";
import { declaresTooLarge, readBodyText } from "@/lib/api/body";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { inTransaction } from "@/lib/core/transaction";

import { completeCheckout } from "./checkouts";
import { queuePaymentMethodDetach } from "./provider-jobs";
import { cardOfSetupSession, stripeClient, type StripeConfig } from "./stripe";
import { queueCardSync } from "./stripe-billing";
import { applyStripeBillingEvent, invoiceLinesOf, STRIPE_BILLING_EVENTS } from "./stripe-billing-events";

export interface StripeWebhookConfig extends StripeConfig {
  webhookSecret: string;
}

/** Stripe's events are a few KB; the public endpoint refuses bodies over 64 KB before verifying them. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/**
 * The webhook's raw body as text, refused (413) when its Content-Length says it is
 * over 64 KB, before anything is read, or as soon as the bytes received pass it.
 */
export async function readWebhookPayload(
  request: Request,
): Promise<{ ok: true; payload: string } | { ok: false; status: 413 | 400; error: string }> {
  const tooLarge = { ok: false, status: 413, error: `The body is over ${MAX_WEBHOOK_BODY_BYTES / 1024} KB.` } as const;
  if (declaresTooLarge(request, MAX_WEBHOOK_BODY_BYTES)) return tooLarge;
  const body = await readBodyText(request, MAX_WEBHOOK_BODY_BYTES);
  if (body.ok) return { ok: true, payload: body.text };
  return body.problem === "too_large" ? tooLarge : { ok: false, status: 400, error: "The body is not UTF-8 text." };
}

export function stripeWebhookConfig(): StripeWebhookConfig | undefined {
  const config = env();
  if (!config.STRIPE_SECRET_KEY || !config.STRIPE_WEBHOOK_SECRET) return undefined;
  return { secretKey: config.STRIPE_SECRET_KEY, webhookSecret: config.STRIPE_WEBHOOK_SECRET, apiUrl: config.STRIPE_API_URL };
}

async function findStripeCheckout(db: Db, sessionId: string) {
  const [checkout] = await db
    .select({ id: checkouts.id, status: checkouts.status })
    .from(checkouts)
    .where(and(eq(checkouts.provider, "stripe"), eq(checkouts.providerSessionId, sessionId)));
  return checkout;
}

export type WebhookOutcome = "applied" | "duplicate" | "ignored";

/**
 * Applies one Stripe event. The signature is checked first (a bad one changes
 * nothing); the event id is recorded in the same transaction as its change, so a
 * redelivered event finds it and changes nothing, and a failed one is retried.
 */
export async function handleStripeWebhook(
  db: Db,
  request: { payload: string; signature: string | null },
  config: StripeWebhookConfig,
): Promise<WebhookOutcome> {
  const stripe = stripeClient(config);
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(request.payload, request.signature ?? "", config.webhookSecret);
  } catch {
    throw new AppError("unauthorized", "The webhook signature does not match.");
  }

  const session = event.type.startsWith("checkout.session.") ? (event.data.object as Stripe.Checkout.Session) : undefined;
  // Read the card from Stripe before the transaction (no network call while rows are locked), and only
  // for an open checkout of ours: sessions of other systems on the account, and redeliveries, need nothing.
  const ours = session ? await findStripeCheckout(db, session.id) : undefined;
  const card =
    event.type === "checkout.session.completed" && session?.mode === "setup" && ours?.status === "open"
      ? await cardOfSetupSession(stripe, session)
      : undefined;

  // Likewise the rest of a long invoice's lines (an event carries the first page).
  const billingEvent = STRIPE_BILLING_EVENTS.includes(event.type);
  const lines = billingEvent ? await invoiceLinesOf(stripe, event) : undefined;

  const result = await inTransaction(db, async (tx) => {
    const [fresh] = await tx
      .insert(processedWebhookEvents)
      .values({ provider: "stripe", eventId: event.id, type: event.type })
      .onConflictDoNothing()
      .returning();
    if (!fresh) return { outcome: "duplicate" as const };
    if (billingEvent) return { outcome: await applyStripeBillingEvent(tx, event, lines) };
    if (!session) return { outcome: "ignored" as const };
    const checkout = await findStripeCheckout(tx, session.id);
    if (!checkout) return { outcome: "ignored" as const };
    if (card) {
      const completion = await completeCheckout(tx, checkout.id, { ...card, provider: "stripe" });
      // The card it replaced is forgotten at Stripe by a job of this transaction.
      if (completion.replacedRef) await queuePaymentMethodDetach(tx, completion.replacedRef);
      // The org's Stripe subscription charges the new card from now on.
      if (completion.applied) await queueCardSync(tx, completion.org.id);
      return { outcome: completion.applied ? ("applied" as const) : ("ignored" as const), completion };
    }
    if (event.type === "checkout.session.expired") {
      await tx
        .update(checkouts)
        .set({ status: "expired" })
        .where(and(eq(checkouts.id, checkout.id), eq(checkouts.status, "open")));
      return { outcome: "applied" as const };
    }
    return { outcome: "ignored" as const };
  });
  return result.outcome;
}

import "server-only";

import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type Stripe from "stripe";

import type { Db } from "@/db";
import { organizations, paymentMethods, subscriptions, type Organization, type Subscription } from "@/db/schema";
import type { Actor } from "@/lib/core/actor";
import { log } from "@/lib/core/log";
import { inTransaction } from "@/lib/core/transaction";
import { enqueue } from "@/lib/jobs/queue";
import { CURRENCY, isPaidPlan, isSelfServePlan, isUpgrade, planLabel, planOf, PLANS, type PlanId } from "@/lib/shared/plans";

import { applyPlan } from "./apply-plan";
import { getBillingDetails } from "./billing-details";
import { billingNow } from "./clock";
import { formatPeriod, periodBoundary } from "./periods";
import { lockOrg, lockSubscription, scheduleCancellation, withdrawCancellation, type SubscriptionChange } from "./subscriptions";
import { TAX_RATES, taxFor } from "./tax";
import { appHours, usageCharge } from "./usage";

/*
 * Stripe Billing (STRIPE_SECRET_KEY): one Stripe Price per self-serve plan, one
 * Stripe Subscription per org, usage added to each renewal invoice, and invoices
 * and payment outcomes mirrored from the webhook (stripe-billing-events.ts).
 *
 * Who owns what: our `subscriptions` row says what the org wants (its plan, and
 * whether it ends at the period's end), written by the plan change in its own
 * transaction; the `stripe.subscription-sync` job makes Stripe match it; Stripe
 * owns the money (periods, proration amounts, charges, retries) and tells us
 * through the webhook. So every call to Stripe is a job of the transaction that
 * made it necessary, and each job reads the state as it is when it runs.
 */

const PROVIDER = "stripe";

/** The lookup key of a plan's monthly Price: found by it, created with it. */
export function planLookupKey(plan: "pro" | "scale"): string {
  return `plan_${plan}_monthly`;
}

/** The plan a Stripe Price stands for, from its lookup key; undefined for a price of another system. */
export function planOfPrice(price: Pick<Stripe.Price, "lookup_key"> | null | undefined): "pro" | "scale" | undefined {
  const match = /^plan_(\w+)_monthly$/.exec(price?.lookup_key ?? "");
  return match && isSelfServePlan(match[1]) ? match[1] : undefined;
}

function isCurrentPrice(price: Stripe.Price, plan: "pro" | "scale"): boolean {
  return price.lookup_key === planLookupKey(plan) && price.unit_amount === planOf(plan).priceMonthlyCents && price.currency === CURRENCY;
}

/**
 * The plan's Price: the active one with its lookup key, or one created now (a
 * price changed in lib/shared/plans.ts creates a new Price and moves the key to
 * it; subscriptions on the old one keep it until their next change). The
 * idempotency key makes two jobs creating it at once get the same Price.
 */
export async function ensurePlanPrice(stripe: Stripe, plan: "pro" | "scale"): Promise<string> {
  const lookupKey = planLookupKey(plan);
  const unitAmount = PLANS[plan].priceMonthlyCents;
  const found = await stripe.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 });
  const existing = found.data[0];
  if (existing && isCurrentPrice(existing, plan)) return existing.id;
  const created = await stripe.prices.create(
    {
      currency: CURRENCY,
      unit_amount: unitAmount,
      recurring: { interval: "month" },
      lookup_key: lookupKey,
      transfer_lookup_key: true,
      product_data: { name: `${planLabel(plan)} plan` },
      metadata: { plan },
    },
    { idempotencyKey: `price/${lookupKey}/${unitAmount}` },
  );
  return created.id;
}

/**
 * The Stripe Tax Rates the org's invoices carry: our own decision (lib/billing/tax.ts,
 * the same table as the built-in billing), applied by Stripe, so what Stripe charges
 * is what our copy of the invoice says. One Tax Rate per country and rate, found by
 * its metadata, created once. None for a reverse charge or a country without tax.
 */
export async function taxRatesFor(stripe: Stripe, billTo: { country: string; taxId: string | null } | undefined): Promise<string[]> {
  if (!billTo) return [];
  const decision = taxFor(billTo);
  if (decision.basisPoints === 0) return [];
  const country = billTo.country.toUpperCase();
  const key = `${country}-${decision.basisPoints}`;
  for await (const rate of stripe.taxRates.list({ active: true, limit: 100 })) {
    if (rate.metadata?.tax_key === key) return [rate.id];
  }
  const created = await stripe.taxRates.create(
    {
      display_name: TAX_RATES[country]?.name ?? "Tax",
      percentage: decision.basisPoints / 100,
      inclusive: false,
      country,
      description: decision.label,
      metadata: { tax_key: key },
    },
    { idempotencyKey: `tax-rate/${key}` },
  );
  return [created.id];
}

// ---------------------------------------------------------------------------
// The plan change, in the caller's transaction.

/** Queues the job that makes the org's Stripe subscription match its plan. */
export function queueSubscriptionSync(tx: Db, orgId: string): Promise<string> {
  return enqueue(tx, "stripe.subscription-sync", { orgId });
}

/** After a new card is saved: the org's live Stripe subscription (if any) is moved to it. */
export async function queueCardSync(tx: Db, orgId: string): Promise<void> {
  const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.orgId, orgId));
  if (liveStripeSubscription(row)?.providerSubscriptionId) await queueSubscriptionSync(tx, orgId);
}

/** The org's subscription row if it is a live Stripe one. */
function liveStripeSubscription(row: Subscription | undefined): Subscription | undefined {
  return row?.provider === PROVIDER && row.status === "active" ? row : undefined;
}

/** The same answers as the built-in billing's. */
export type StripePlanSwitch = SubscriptionChange;

/**
 * A plan change with Stripe Billing, on a locked org (the caller checked the
 * billing information and the card for a paid plan), with the semantics of the
 * built-in billing (subscriptions.ts `switchPlan`): a paid plan applies at once
 * (Stripe charges an upgrade's difference now and credits a downgrade on the
 * next invoice); Starter is scheduled for the period's end and applied when
 * Stripe ends the subscription; choosing the current plan again keeps a
 * cancelled one. Stripe hears of it through a job of this transaction.
 */
export async function switchStripePlan(tx: Db, actor: Actor, org: Organization, plan: PlanId): Promise<StripePlanSwitch> {
  const sub = liveStripeSubscription(await lockSubscription(tx, org.id));

  if (plan === org.plan) {
    if (!sub?.cancelAtPeriodEnd) return { status: "unchanged" };
    await withdrawCancellation(tx, actor, org);
    await queueSubscriptionSync(tx, org.id);
    return { status: "resumed", plan };
  }

  if (!isPaidPlan(plan) && sub) {
    if (!sub.cancelAtPeriodEnd) {
      await scheduleCancellation(tx, actor, org, sub);
      await queueSubscriptionSync(tx, org.id);
    }
    return { status: "cancel_scheduled", endsAt: sub.currentPeriodEnd };
  }

  await applyPlan(tx, actor, org, plan);
  if (isPaidPlan(plan)) {
    if (sub) {
      await tx
        .update(subscriptions)
        .set({ plan, cancelAtPeriodEnd: false, updatedAt: sql`now()` })
        .where(eq(subscriptions.orgId, org.id));
    } else {
      // A new subscription: the period is provisional until the sync job stores Stripe's.
      const now = await billingNow(tx);
      const values = {
        provider: PROVIDER,
        providerSubscriptionId: null,
        plan,
        status: "active" as const,
        anchorAt: now,
        periodNumber: 0,
        currentPeriodStart: now,
        currentPeriodEnd: periodBoundary(now, 1),
        cancelAtPeriodEnd: false,
      };
      await tx
        .insert(subscriptions)
        .values({ orgId: org.id, ...values })
        .onConflictDoUpdate({ target: subscriptions.orgId, set: { ...values, updatedAt: sql`now()` } });
    }
    await queueSubscriptionSync(tx, org.id);
  }
  return { status: "changed", from: org.plan, to: plan };
}

// ---------------------------------------------------------------------------
// The `stripe.subscription-sync` job.

const ENDED: readonly string[] = ["canceled", "incomplete_expired"];

/** The period Stripe bills now (on the subscription's item since API 2025-03-31). */
function periodOf(sub: Stripe.Subscription): { start: Date; end: Date } | undefined {
  const item = sub.items.data[0];
  if (!item) return undefined;
  return { start: new Date(item.current_period_start * 1000), end: new Date(item.current_period_end * 1000) };
}

const idOf = (value: string | { id: string } | null | undefined) => (typeof value === "string" ? value : value?.id);

/** A live subscription of this org at Stripe (ours, by its metadata), for a creation whose answer we never stored. */
async function findOrgSubscription(stripe: Stripe, customerId: string, orgId: string): Promise<Stripe.Subscription | undefined> {
  const list = await stripe.subscriptions.list({ customer: customerId, status: "all", limit: 20 });
  return list.data.find((sub) => sub.metadata?.org_id === orgId && !ENDED.includes(sub.status));
}

function sameIds(a: readonly (string | { id: string })[] | null | undefined, b: readonly string[]): boolean {
  const ids = (a ?? []).map((item) => idOf(item)).sort();
  return ids.length === b.length && [...b].sort().every((id, i) => ids[i] === id);
}

/**
 * The idempotency key of a job's call: the job's id and what it asks. A retry asking
 * the same is replayed by Stripe; a retry that finds Stripe changed since (its first
 * call went through) asks something else, which a reused key would have Stripe refuse.
 */
function callKey(jobId: string, action: string, params: object): string {
  const digest = createHash("sha256").update(JSON.stringify(params)).digest("hex").slice(0, 16);
  return `job/${jobId}/${action}/${digest}`;
}

export type SyncOutcome = "created" | "updated" | "in_sync" | "skipped";

/**
 * Makes the org's Stripe subscription match what the org wants when the job runs
 * (a later change queued its own job, which finds this one's work done): creates
 * it (the plan's Price, the saved card, our tax rate, `metadata.org_id`), moves it
 * to another plan (an upgrade invoiced at once with `always_invoice`, a downgrade
 * credited on the next invoice with `create_prorations`), or sets or clears
 * `cancel_at_period_end`; then stores Stripe's id and period, and runs once more
 * when the org changed meanwhile (the last job always sees the last change). The
 * job's id is in each update's idempotency key, so a retried call does it once; a
 * creation is keyed by the subscription the org starts, and one whose answer was
 * lost is found again by its metadata instead of being made twice.
 */
export async function runSubscriptionSync(db: Db, input: { orgId: string; jobId: string }, stripe: Stripe): Promise<SyncOutcome> {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, input.orgId));
  if (!org?.providerCustomerId) return "skipped";
  const customerId = org.providerCustomerId;
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id));
  const wanted = liveStripeSubscription(row);
  const [method] = await db.select().from(paymentMethods).where(eq(paymentMethods.orgId, org.id));
  const card = method?.provider === PROVIDER ? (method.providerRef ?? undefined) : undefined;

  let current: Stripe.Subscription | undefined = wanted?.providerSubscriptionId
    ? await stripe.subscriptions.retrieve(wanted.providerSubscriptionId)
    : await findOrgSubscription(stripe, customerId, org.id);
  if (current && ENDED.includes(current.status)) current = undefined;

  const plan = wanted && isSelfServePlan(org.plan) ? org.plan : undefined;
  let outcome: SyncOutcome = "in_sync";
  if (!plan) {
    // On Starter, a live subscription left over ends with its period; any other plan without our row is not Stripe's to bill.
    if (!current || org.plan !== "starter") return "skipped";
    if (!current.cancel_at_period_end) {
      const params = { cancel_at_period_end: true };
      current = await stripe.subscriptions.update(current.id, params, { idempotencyKey: callKey(input.jobId, "update", params) });
      outcome = "updated";
    }
  } else {
    const taxRates = await taxRatesFor(stripe, await getBillingDetails(db, org.id));
    if (!current) {
      if (!card) {
        log.warn({ orgId: org.id }, "stripe subscription sync: no Stripe card on file, nothing to subscribe with");
        return "skipped";
      }
      const params: Stripe.SubscriptionCreateParams = {
        customer: customerId,
        items: [{ price: await ensurePlanPrice(stripe, plan) }],
        default_payment_method: card,
        ...(taxRates.length ? { default_tax_rates: taxRates } : {}),
        cancel_at_period_end: wanted!.cancelAtPeriodEnd,
        metadata: { org_id: org.id },
      };
      // One key per subscription the org starts (its row's provisional anchor), not per job: two jobs racing to
      // create it get the same subscription, or a refusal for the one that asks something else (it retries).
      current = await stripe.subscriptions.create(params, { idempotencyKey: `subscription/${org.id}/${wanted!.anchorAt.getTime()}` });
      outcome = "created";
    } else {
      const params: Stripe.SubscriptionUpdateParams = {};
      const item = current.items.data[0];
      if (!item || !isCurrentPrice(item.price, plan)) {
        const from = planOfPrice(item?.price) ?? "starter";
        params.items = [{ ...(item ? { id: item.id } : {}), price: await ensurePlanPrice(stripe, plan) }];
        // An upgrade's difference is charged now, a downgrade's credited on the next invoice (as the built-in billing does).
        params.proration_behavior = isUpgrade(from, plan) ? "always_invoice" : "create_prorations";
      }
      if (current.cancel_at_period_end !== wanted!.cancelAtPeriodEnd) params.cancel_at_period_end = wanted!.cancelAtPeriodEnd;
      if (card && idOf(current.default_payment_method) !== card) params.default_payment_method = card;
      if (!sameIds(current.default_tax_rates, taxRates)) params.default_tax_rates = taxRates.length ? taxRates : "";
      if (Object.keys(params).length) {
        current = await stripe.subscriptions.update(current.id, params, { idempotencyKey: callKey(input.jobId, "update", params) });
        outcome = "updated";
      }
    }
  }

  const stripeSub = current;
  const sent = { plan: org.plan, cancelAtPeriodEnd: wanted?.cancelAtPeriodEnd ?? false };
  await inTransaction(db, async (tx) => {
    const locked = await lockOrg(tx, org.id);
    const mine = await lockSubscription(tx, org.id);
    // Only our live subscription learns Stripe's id and period: one ended meanwhile (its webhook came first) stays ended.
    if (!locked || !mine || !liveStripeSubscription(mine)) return;
    if (mine.providerSubscriptionId && mine.providerSubscriptionId !== stripeSub.id) return;
    // The org changed while we called Stripe, and that change's job may have run before our call landed: once more.
    if (locked.plan !== sent.plan || mine.cancelAtPeriodEnd !== sent.cancelAtPeriodEnd) await queueSubscriptionSync(tx, org.id);
    const period = periodOf(stripeSub);
    await tx
      .update(subscriptions)
      .set({
        providerSubscriptionId: stripeSub.id,
        anchorAt: new Date(stripeSub.billing_cycle_anchor * 1000),
        ...(period ? { currentPeriodStart: period.start, currentPeriodEnd: period.end } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(subscriptions.orgId, org.id));
  });
  return outcome;
}

// ---------------------------------------------------------------------------
// The `stripe.invoice-usage` job: app-hours on the renewal invoice.

/**
 * Adds the ended period's app-hours past the plan's included ones to a renewal
 * invoice while Stripe holds it as a draft (an hour after `invoice.created`, and
 * until our webhook has answered): one invoice item, its amount `usageCharge` of
 * lib/billing/usage.ts, the idempotency key the invoice's id, so it is added once.
 * The usage is ours (apps are ours), so we price it rather than report a meter.
 */
export async function runInvoiceUsage(
  db: Db,
  input: { orgId: string; providerInvoiceId: string },
  stripe: Stripe,
): Promise<"added" | "none" | "skipped"> {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, input.orgId));
  if (!org?.providerCustomerId) return "skipped";
  const customer = { ...org, providerCustomerId: org.providerCustomerId };
  const invoice = await stripe.invoices.retrieve(input.providerInvoiceId);
  if (idOf(invoice.customer) !== org.providerCustomerId || invoice.billing_reason !== "subscription_cycle") return "skipped";
  if (invoice.status !== "draft") {
    log.warn(
      { orgId: org.id, invoice: invoice.id, status: invoice.status },
      "stripe usage: the invoice was finalized before its usage was added",
    );
    return "skipped";
  }
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.orgId, org.id));
  const plan: PlanId = row?.provider === PROVIDER ? row.plan : org.plan;
  // The invoice's period is the one that just ended (its plan line is the next period, billed in advance).
  const added = await addUsageItem(
    db,
    stripe,
    customer,
    plan,
    { start: invoice.period_start, end: invoice.period_end },
    {
      invoice: invoice.id,
      idempotencyKey: `usage/${invoice.id}`,
    },
  );
  return added ? "added" : "none";
}

/**
 * One invoice item for the app-hours of a period (Unix seconds) past the plan's
 * included ones, on `invoice` or pending for the customer's next one; none when
 * no app ran.
 */
async function addUsageItem(
  db: Db,
  stripe: Stripe,
  org: Organization & { providerCustomerId: string },
  plan: PlanId,
  period: { start: number; end: number },
  options: { invoice?: string; idempotencyKey: string },
): Promise<boolean> {
  const start = new Date(period.start * 1000);
  const end = new Date(period.end * 1000);
  const hours = await appHours(db, org.id, { from: start, to: end, until: end });
  if (hours === 0) return false;
  const terms = planOf(plan);
  const { billableHours, amountCents } = usageCharge(plan, hours);
  const taxRates = await taxRatesFor(stripe, await getBillingDetails(db, org.id));
  await stripe.invoiceItems.create(
    {
      customer: org.providerCustomerId,
      ...(options.invoice ? { invoice: options.invoice } : {}),
      amount: amountCents,
      currency: CURRENCY,
      description: `App-hours, ${formatPeriod(start, end)}: ${hours.toLocaleString("en-US")} h, ${terms.includedAppHours.toLocaleString("en-US")} h included`,
      period,
      ...(taxRates.length ? { tax_rates: taxRates } : {}),
      metadata: {
        kind: "usage",
        org_id: org.id,
        app_hours: String(hours),
        billable_hours: String(billableHours),
        unit_amount_cents: String(terms.appHourCents),
      },
    },
    { idempotencyKey: options.idempotencyKey },
  );
  return true;
}

/**
 * The `stripe.final-invoice` job, queued when Stripe ends the org's subscription:
 * Stripe bills a plan in advance, so nothing would bill the app-hours of its last
 * period. As the built-in billing's final invoice does, they go on an invoice of
 * their own (with any credit or charge still pending at Stripe), which Stripe
 * finalizes and charges; its webhook events copy it as our `final` invoice. Both
 * calls are keyed by the subscription, so a retried job bills once.
 */
export async function runFinalInvoice(
  db: Db,
  input: { orgId: string; providerSubscriptionId: string },
  stripe: Stripe,
): Promise<"invoiced" | "none" | "skipped"> {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, input.orgId));
  if (!org?.providerCustomerId) return "skipped";
  const sub = await stripe.subscriptions.retrieve(input.providerSubscriptionId);
  // A subscription whose first payment never went through had no paid period to bill usage for.
  if (idOf(sub.customer) !== org.providerCustomerId || sub.status !== "canceled") return "skipped";
  const item = sub.items.data[0];
  if (!item) return "skipped";
  const period = { start: item.current_period_start, end: Math.min(sub.ended_at ?? item.current_period_end, item.current_period_end) };
  const plan = planOfPrice(item.price) ?? "pro";
  const customer = { ...org, providerCustomerId: org.providerCustomerId };
  if (!(await addUsageItem(db, stripe, customer, plan, period, { idempotencyKey: `final-usage/${sub.id}` }))) return "none";
  await stripe.invoices.create(
    {
      customer: org.providerCustomerId,
      auto_advance: true,
      collection_method: "charge_automatically",
      pending_invoice_items_behavior: "include",
      description: `Final invoice: the last period of the ${planLabel(plan)} plan`,
      metadata: { org_id: org.id, subscription: sub.id },
    },
    { idempotencyKey: `final-invoice/${sub.id}` },
  );
  return "invoiced";
}

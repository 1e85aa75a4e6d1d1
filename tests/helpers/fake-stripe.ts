import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

export interface StripeRequest {
  method: string;
  /** The path without the query string, e.g. /v1/checkout/sessions. */
  path: string;
  /** Query string parameters, e.g. { "expand[0]": "payment_method" }. */
  query: Record<string, string>;
  /** The form-encoded body, flat: { "metadata[org_id]": "…", "address[city]": "…" }. */
  body: Record<string, string>;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
}

export interface FakeCard {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
}

export interface FakeSession {
  id: string;
  object: "checkout.session";
  mode: "setup";
  url: string;
  customer: string;
  setup_intent: string;
  client_reference_id: string | null;
  success_url: string;
  cancel_url: string;
  metadata: Record<string, string>;
}

/** A Price of the fake, as Stripe answers it. */
export interface FakePrice {
  id: string;
  object: "price";
  active: boolean;
  currency: string;
  unit_amount: number;
  lookup_key: string | null;
  recurring: { interval: string };
  product: string;
  metadata: Record<string, string>;
}

export interface FakeTaxRate {
  id: string;
  object: "tax_rate";
  active: boolean;
  display_name: string;
  percentage: number;
  inclusive: boolean;
  country: string | null;
  metadata: Record<string, string>;
}

/** A Subscription of the fake: one item, monthly, its period starting when it was created. */
export interface FakeSubscription {
  id: string;
  object: "subscription";
  customer: string;
  status: string;
  cancel_at_period_end: boolean;
  default_payment_method: string | null;
  default_tax_rates: FakeTaxRate[];
  billing_cycle_anchor: number;
  metadata: Record<string, string>;
  items: {
    object: "list";
    data: {
      id: string;
      object: "subscription_item";
      price: FakePrice;
      quantity: number;
      current_period_start: number;
      current_period_end: number;
    }[];
  };
  ended_at: number | null;
  cancellation_details: { reason: string | null };
}

/** An invoice line as Stripe sends it (the fields the webhook reads). */
export interface FakeInvoiceLine {
  id: string;
  object: "line_item";
  amount: number;
  currency: string;
  description: string | null;
  quantity: number | null;
  metadata: Record<string, string>;
  period: { start: number; end: number };
  parent: {
    type: "subscription_item_details" | "invoice_item_details";
    subscription_item_details: { proration: boolean; subscription: string | null; subscription_item: string; invoice_item: null } | null;
    invoice_item_details: { proration: boolean; invoice_item: string; subscription: string | null } | null;
  };
}

export interface FakeInvoice {
  id: string;
  object: "invoice";
  customer: string;
  number: string | null;
  status: "draft" | "open" | "paid" | "void" | "uncollectible";
  billing_reason: string;
  currency: string;
  subtotal: number;
  total: number;
  total_taxes: { amount: number; tax_behavior: string; taxability_reason: string; taxable_amount: number; type: "tax_rate_details" }[];
  amount_due: number;
  period_start: number;
  period_end: number;
  created: number;
  attempt_count: number;
  next_payment_attempt: number | null;
  status_transitions: { finalized_at: number | null; paid_at: number | null; voided_at: number | null };
  customer_name: string | null;
  customer_email: string | null;
  customer_address: null;
  metadata: Record<string, string>;
  default_tax_rates: FakeTaxRate[];
  parent: { type: "subscription_details"; subscription_details: { subscription: string; metadata: Record<string, string> } } | null;
  lines: { object: "list"; url: string; has_more: boolean; data: FakeInvoiceLine[] };
}

/** What a test invoice holds; amounts in cents. */
export interface InvoiceSpec {
  billingReason: "subscription_create" | "subscription_cycle" | "subscription_update" | "manual";
  status?: FakeInvoice["status"];
  /** Default: one plan line for the subscription's price and current period. */
  lines?: { amount: number; description: string; proration?: boolean; period?: { start: number; end: number }; invoiceItem?: boolean }[];
  taxCents?: number;
  /** The period it covers (a renewal: the period that ended); default the subscription's current period. */
  period?: { start: number; end: number };
  attemptCount?: number;
  nextPaymentAttempt?: number | null;
}

export interface FakeStripe {
  /** Base URL for stripeProvider({ apiUrl }). */
  url: string;
  requests: StripeRequest[];
  sessions: FakeSession[];
  /** The checkout session created for one of our checkouts (its client_reference_id). */
  sessionFor(checkoutId: string): FakeSession;
  /** The card (and pm_ id) saved by a session's setup intent. */
  paymentMethodOf(session: FakeSession): { id: string; card: FakeCard };
  /** The card the next sessions save (default: Visa 4242, 12/2034). */
  useCard(card: FakeCard): void;
  /** The customers that exist (created and not deleted), with their org_id metadata. */
  customers: Map<string, { id: string; orgId: string | null }>;
  prices: Map<string, FakePrice>;
  taxRates: Map<string, FakeTaxRate>;
  subscriptions: Map<string, FakeSubscription>;
  invoices: Map<string, FakeInvoice>;
  /** The live subscriptions made for an org (its `org_id` metadata). */
  subscriptionsOf(orgId: string): FakeSubscription[];
  /** An invoice of a subscription, kept by the fake (as Stripe would make it), to send in events. */
  createInvoice(subscription: FakeSubscription, spec: InvoiceSpec): FakeInvoice;
  /** While set, every API call answers 500 (the SDK retries, then gives up). */
  failing: boolean;
  close(): Promise<void>;
}

export const DEFAULT_CARD: FakeCard = { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034 };

const fakeId = (prefix: string) => `${prefix}_test_${randomBytes(8).toString("hex")}`;

function stripeError(res: http.ServerResponse, status: number, message: string, code?: string) {
  res
    .writeHead(status, { "content-type": "application/json" })
    .end(JSON.stringify({ error: { type: "invalid_request_error", message, ...(code ? { code } : {}) } }));
}

/**
 * A local stand-in for api.stripe.com, enough for lib/billing/stripe.ts: customers,
 * setup-mode checkout sessions, setup intents (with the payment method expanded) and
 * detaching a payment method. Records every request for the tests to read.
 */
export interface FakeStripeOptions {
  port?: number;
  /**
   * Play Stripe's hosted checkout too (for e2e): a session's url is a page of this
   * server whose "Save card" button delivers a signed checkout.session.completed to
   * `webhookUrl`, then sends the browser to the session's success_url.
   */
  hosted?: { webhookUrl: string; webhookSecret: string };
}

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const requests: StripeRequest[] = [];
  const sessions: FakeSession[] = [];
  const intents = new Map<string, { id: string; card: FakeCard }>();
  let nextCard = DEFAULT_CARD;
  const customers = new Map<string, { id: string; orgId: string | null }>();
  const prices = new Map<string, FakePrice>();
  const taxRates = new Map<string, FakeTaxRate>();
  const subscriptions = new Map<string, FakeSubscription>();
  const invoices = new Map<string, FakeInvoice>();
  /** Invoice items: on a draft invoice, or pending for the customer's next one. */
  const invoiceItems = new Map<string, { id: string; customer: string; invoice: string | null; line: FakeInvoiceLine }>();
  /** Answers to POSTs by idempotency key, replayed as Stripe does; another request with a used key is refused. */
  const idempotent = new Map<string, { request: string; answer: string }>();
  let invoiceNumber = 0;

  const state = {
    failing: false,
  };

  let baseUrl = "";
  const route = async (request: StripeRequest, res: http.ServerResponse) => {
    const page = /^\/pay\/([^/]+)$/.exec(request.path);
    if (options.hosted && page) return hostedPage(request, res, page[1]!);
    if (request.path === "/health") return res.writeHead(200).end("ok");
    if (state.failing) return stripeError(res, 500, "Fake outage");
    const { method, path, body } = request;
    const key = method === "POST" ? request.idempotencyKey : undefined;
    const signature = `${method} ${path} ${JSON.stringify(body)}`;
    const replay = key ? idempotent.get(key) : undefined;
    if (replay) {
      if (replay.request !== signature)
        return stripeError(res, 400, "Keys for idempotent requests can only be used with the same parameters", "idempotency_key_in_use");
      return res.writeHead(200, { "content-type": "application/json", "idempotent-replayed": "true" }).end(replay.answer);
    }
    const json = (value: unknown) => {
      const answer = JSON.stringify(value);
      if (key) idempotent.set(key, { request: signature, answer });
      return res.writeHead(200, { "content-type": "application/json" }).end(answer);
    };
    const fail = (status: number, message: string, code?: string) => {
      stripeError(res, status, message, code);
      return res;
    };
    // Answered when it returns the response; undefined: not one of its paths.
    if (billingRoute(request, json, fail)) return;

    if (method === "POST" && path === "/v1/customers") {
      const created = { id: fakeId("cus"), orgId: body["metadata[org_id]"] ?? null };
      customers.set(created.id, created);
      const metadata = created.orgId ? { org_id: created.orgId } : {};
      return json({ id: created.id, object: "customer", name: body.name ?? null, email: body.email ?? null, metadata });
    }
    if (method === "GET" && path === "/v1/customers") {
      const data = [...customers.values()].map((c) => ({ id: c.id, object: "customer", metadata: c.orgId ? { org_id: c.orgId } : {} }));
      return json({ object: "list", url: "/v1/customers", has_more: false, data });
    }
    const customer = /^\/v1\/customers\/([^/]+)$/.exec(path);
    if (method === "DELETE" && customer) {
      // As Stripe: deleting a customer that is gone answers 404 resource_missing.
      if (!customers.delete(customer[1]!)) return stripeError(res, 404, `No such customer: '${customer[1]}'`, "resource_missing");
      return json({ id: customer[1], object: "customer", deleted: true });
    }
    if (method === "POST" && customer) {
      return json({ id: customer[1], object: "customer", name: body.name ?? null, email: body.email ?? null, metadata: {} });
    }
    if (method === "POST" && path === "/v1/checkout/sessions") {
      if (body.mode !== "setup" || !body.customer || !body.success_url || !body.cancel_url)
        return stripeError(res, 400, "Missing a parameter");
      const id = fakeId("cs");
      const setupIntent = fakeId("seti");
      intents.set(setupIntent, { id: fakeId("pm"), card: nextCard });
      const session: FakeSession = {
        id,
        object: "checkout.session",
        mode: "setup",
        url: options.hosted ? `${baseUrl}/pay/${id}` : `https://checkout.example.test/c/${id}`,
        customer: body.customer,
        setup_intent: setupIntent,
        client_reference_id: body.client_reference_id ?? null,
        success_url: body.success_url,
        cancel_url: body.cancel_url,
        metadata: { checkout_id: body["metadata[checkout_id]"] ?? "", org_id: body["metadata[org_id]"] ?? "" },
      };
      sessions.push(session);
      return json(session);
    }
    const intent = /^\/v1\/setup_intents\/([^/]+)$/.exec(path);
    if (method === "GET" && intent) {
      const found = intents.get(intent[1]!);
      if (!found) return stripeError(res, 404, "No such setup intent");
      const expanded = Object.entries(request.query).some(([key, value]) => key.startsWith("expand") && value === "payment_method");
      const paymentMethod = { id: found.id, object: "payment_method", type: "card", card: { ...found.card } };
      return json({ id: intent[1], object: "setup_intent", status: "succeeded", payment_method: expanded ? paymentMethod : found.id });
    }
    const detach = /^\/v1\/payment_methods\/([^/]+)\/detach$/.exec(path);
    if (method === "POST" && detach) return json({ id: detach[1], object: "payment_method", customer: null });
    return stripeError(res, 404, `Unrecognized request URL (${method}: ${path})`);
  };

  const now = () => Math.floor(Date.now() / 1000);
  /** A month later, the day clamped to the month's length (as Stripe's billing periods). */
  const monthAfter = (seconds: number) => {
    const at = new Date(seconds * 1000);
    const last = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 2, 0)).getUTCDate();
    const next = new Date(at);
    next.setUTCDate(1);
    next.setUTCMonth(at.getUTCMonth() + 1);
    next.setUTCDate(Math.min(at.getUTCDate(), last));
    return Math.floor(next.getTime() / 1000);
  };
  /** `a[0]=x&a[1]=y` as a list (the SDK's encoding of arrays); "" (cleared) as none. */
  const listParam = (body: Record<string, string>, name: string) =>
    Object.keys(body)
      .filter((k) => k.startsWith(`${name}[`))
      .sort()
      .map((k) => body[k]!)
      .filter(Boolean);
  const metadataOf = (body: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(body)
        .filter(([k]) => k.startsWith("metadata["))
        .map(([k, v]) => [k.slice(9, -1), v]),
    );
  const taxRatesOf = (ids: string[]) => ids.map((id) => taxRates.get(id)).filter((rate): rate is FakeTaxRate => !!rate);

  /** Prices, tax rates, subscriptions, invoices and invoice items: what lib/billing/stripe-billing.ts calls. */
  const billingRoute = (
    request: StripeRequest,
    json: (value: unknown) => http.ServerResponse,
    fail: (status: number, message: string, code?: string) => http.ServerResponse,
  ): http.ServerResponse | undefined => {
    const { method, path, body, query } = request;
    const list = (url: string, data: unknown[]) => json({ object: "list", url, has_more: false, data });

    if (method === "GET" && path === "/v1/prices") {
      const keys = Object.entries(query)
        .filter(([k]) => k.startsWith("lookup_keys"))
        .map(([, v]) => v);
      const found = [...prices.values()].filter(
        (p) => (!keys.length || (p.lookup_key !== null && keys.includes(p.lookup_key))) && (query.active !== "true" || p.active),
      );
      return list("/v1/prices", found);
    }
    if (method === "POST" && path === "/v1/prices") {
      if (!body.currency || !body.unit_amount || !body["recurring[interval]"]) return fail(400, "Missing a parameter");
      const lookupKey = body.lookup_key ?? null;
      if (lookupKey && [...prices.values()].some((p) => p.lookup_key === lookupKey)) {
        if (body.transfer_lookup_key !== "true") return fail(400, `A price with lookup key ${lookupKey} exists`);
        for (const p of prices.values()) if (p.lookup_key === lookupKey) p.lookup_key = null;
      }
      const price: FakePrice = {
        id: fakeId("price"),
        object: "price",
        active: true,
        currency: body.currency,
        unit_amount: Number(body.unit_amount),
        lookup_key: lookupKey,
        recurring: { interval: body["recurring[interval]"] },
        product: fakeId("prod"),
        metadata: metadataOf(body),
      };
      prices.set(price.id, price);
      return json(price);
    }
    if (method === "GET" && path === "/v1/tax_rates")
      return list(
        "/v1/tax_rates",
        [...taxRates.values()].filter((r) => r.active),
      );
    if (method === "POST" && path === "/v1/tax_rates") {
      const rate: FakeTaxRate = {
        id: fakeId("txr"),
        object: "tax_rate",
        active: true,
        display_name: body.display_name ?? "",
        percentage: Number(body.percentage),
        inclusive: body.inclusive === "true",
        country: body.country ?? null,
        metadata: metadataOf(body),
      };
      taxRates.set(rate.id, rate);
      return json(rate);
    }

    if (method === "POST" && path === "/v1/subscriptions") {
      const price = prices.get(body["items[0][price]"] ?? "");
      if (!body.customer || !customers.has(body.customer)) return fail(400, `No such customer: '${body.customer}'`, "resource_missing");
      if (!price) return fail(400, `No such price: '${body["items[0][price]"]}'`, "resource_missing");
      const start = now();
      const sub: FakeSubscription = {
        id: fakeId("sub"),
        object: "subscription",
        customer: body.customer,
        status: "active",
        cancel_at_period_end: body.cancel_at_period_end === "true",
        default_payment_method: body.default_payment_method ?? null,
        default_tax_rates: taxRatesOf(listParam(body, "default_tax_rates")),
        billing_cycle_anchor: start,
        metadata: metadataOf(body),
        items: {
          object: "list",
          data: [
            {
              id: fakeId("si"),
              object: "subscription_item",
              price,
              quantity: 1,
              current_period_start: start,
              current_period_end: monthAfter(start),
            },
          ],
        },
        ended_at: null,
        cancellation_details: { reason: null },
      };
      subscriptions.set(sub.id, sub);
      chargeInHostedMode(sub, "subscription_create", [
        { amount: price.unit_amount, description: `1 × ${price.lookup_key ?? price.id}`, period: periodOfItem(sub) },
      ]);
      return json(sub);
    }
    if (method === "GET" && path === "/v1/subscriptions") {
      const found = [...subscriptions.values()].filter((sub) => !query.customer || sub.customer === query.customer);
      return list("/v1/subscriptions", found);
    }
    const subscription = /^\/v1\/subscriptions\/([^/]+)$/.exec(path);
    if (subscription) {
      const sub = subscriptions.get(subscription[1]!);
      if (!sub) return fail(404, `No such subscription: '${subscription[1]}'`, "resource_missing");
      if (method === "GET") return json(sub);
      if (method !== "POST") return undefined;
      if (sub.status === "canceled") return fail(400, "A canceled subscription can only update its cancellation_details and metadata.");
      let proration: InvoiceSpec["lines"] = [];
      if (body["items[0][price]"]) {
        const price = prices.get(body["items[0][price]"]);
        const item = sub.items.data.find((i) => i.id === body["items[0][id]"]);
        if (!price) return fail(400, "No such price", "resource_missing");
        if (!item) return fail(400, "Updating a price needs the item's id");
        // The rest of the period, old price back and new price due, as Stripe prorates (to the second).
        const left = (item.current_period_end - now()) / (item.current_period_end - item.current_period_start);
        const period = { start: now(), end: item.current_period_end };
        proration = [
          {
            amount: -Math.round(item.price.unit_amount * left),
            description: `Unused time on ${item.price.lookup_key}`,
            proration: true,
            period,
          },
          { amount: Math.round(price.unit_amount * left), description: `Remaining time on ${price.lookup_key}`, proration: true, period },
        ];
        item.price = price;
      }
      if (body.cancel_at_period_end !== undefined) sub.cancel_at_period_end = body.cancel_at_period_end === "true";
      if (body.default_payment_method !== undefined) sub.default_payment_method = body.default_payment_method || null;
      if (body.default_tax_rates !== undefined || listParam(body, "default_tax_rates").length) {
        sub.default_tax_rates = taxRatesOf(listParam(body, "default_tax_rates"));
      }
      if (body.proration_behavior === "always_invoice" && proration.length) chargeInHostedMode(sub, "subscription_update", proration);
      return json(sub);
    }

    const invoice = /^\/v1\/invoices\/([^/]+)(\/lines)?$/.exec(path);
    if (invoice && method === "GET") {
      const found = invoices.get(invoice[1]!);
      if (!found) return fail(404, `No such invoice: '${invoice[1]}'`, "resource_missing");
      return invoice[2] ? list(`/v1/invoices/${found.id}/lines`, found.lines.data) : json(found);
    }
    if (method === "POST" && path === "/v1/invoiceitems") {
      const target = body.invoice ? invoices.get(body.invoice) : undefined;
      if (!body.customer || !customers.has(body.customer)) return fail(400, `No such customer: '${body.customer}'`, "resource_missing");
      if (body.invoice && !target) return fail(400, `No such invoice: '${body.invoice}'`, "resource_missing");
      if (target && target.status !== "draft") return fail(400, "Invoice items can only be added to draft invoices");
      const id = fakeId("ii");
      const start = Number(body["period[start]"] ?? target?.period_start ?? now());
      const line: FakeInvoiceLine = {
        id: fakeId("il"),
        object: "line_item",
        amount: Number(body.amount),
        currency: body.currency ?? "usd",
        description: body.description ?? null,
        quantity: 1,
        metadata: metadataOf(body),
        period: { start, end: Number(body["period[end]"] ?? target?.period_end ?? start) },
        parent: {
          type: "invoice_item_details",
          subscription_item_details: null,
          invoice_item_details: {
            proration: false,
            invoice_item: id,
            subscription: target?.parent?.subscription_details.subscription ?? null,
          },
        },
      };
      invoiceItems.set(id, { id, customer: body.customer, invoice: target?.id ?? null, line });
      if (target) addLine(target, line);
      return json({
        id,
        object: "invoiceitem",
        amount: line.amount,
        customer: body.customer,
        invoice: target?.id ?? null,
        metadata: line.metadata,
      });
    }
    if (method === "POST" && path === "/v1/invoices") {
      if (!body.customer || !customers.has(body.customer)) return fail(400, `No such customer: '${body.customer}'`, "resource_missing");
      const created = now();
      const draft = blankInvoice(body.customer, "manual", { start: created, end: created });
      draft.metadata = metadataOf(body);
      if (body.pending_invoice_items_behavior === "include") {
        for (const item of invoiceItems.values()) {
          if (item.customer !== body.customer || item.invoice) continue;
          item.invoice = draft.id;
          addLine(draft, item.line);
        }
      }
      invoices.set(draft.id, draft);
      return json(draft);
    }
    return undefined;
  };

  const blankInvoice = (
    customer: string,
    billingReason: string,
    period: { start: number; end: number },
    status: FakeInvoice["status"] = "draft",
  ): FakeInvoice => {
    const created = now();
    const finalized = status === "draft" ? null : created;
    const id = fakeId("in");
    return {
      id,
      object: "invoice",
      customer,
      number: finalized ? `FAKE-${String(++invoiceNumber).padStart(4, "0")}` : null,
      status,
      billing_reason: billingReason,
      currency: "usd",
      subtotal: 0,
      total: 0,
      total_taxes: [],
      amount_due: 0,
      period_start: period.start,
      period_end: period.end,
      created,
      attempt_count: 0,
      next_payment_attempt: null,
      status_transitions: { finalized_at: finalized, paid_at: status === "paid" ? created : null, voided_at: null },
      customer_name: null,
      customer_email: null,
      customer_address: null,
      metadata: {},
      default_tax_rates: [],
      parent: null,
      lines: { object: "list", url: `/v1/invoices/${id}/lines`, has_more: false, data: [] },
    };
  };
  const addLine = (invoice: FakeInvoice, line: FakeInvoiceLine) => {
    invoice.lines.data.push(line);
    invoice.subtotal += line.amount;
    invoice.total += line.amount;
    invoice.amount_due += line.amount;
  };

  const createInvoice = (sub: FakeSubscription, spec: InvoiceSpec): FakeInvoice => {
    const item = sub.items.data[0]!;
    const period = spec.period ?? { start: item.current_period_start, end: item.current_period_end };
    const status = spec.status ?? "open";
    const lineSpecs = spec.lines ?? [
      { amount: item.price.unit_amount, description: `1 × ${item.price.lookup_key} (at $${item.price.unit_amount / 100} / month)` },
    ];
    const lines: FakeInvoiceLine[] = lineSpecs.map((line) => ({
      id: fakeId("il"),
      object: "line_item",
      amount: line.amount,
      currency: "usd",
      description: line.description,
      quantity: 1,
      metadata: {},
      period: line.period ?? { start: item.current_period_start, end: item.current_period_end },
      parent: line.invoiceItem
        ? {
            type: "invoice_item_details",
            subscription_item_details: null,
            invoice_item_details: { proration: !!line.proration, invoice_item: fakeId("ii"), subscription: sub.id },
          }
        : {
            type: "subscription_item_details",
            subscription_item_details: {
              proration: !!line.proration,
              subscription: sub.id,
              subscription_item: item.id,
              invoice_item: null,
            },
            invoice_item_details: null,
          },
    }));
    const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
    const tax = spec.taxCents ?? 0;
    const invoice = blankInvoice(sub.customer, spec.billingReason, period, status);
    Object.assign(invoice, {
      subtotal,
      total: subtotal + tax,
      amount_due: subtotal + tax,
      total_taxes: tax
        ? [
            {
              amount: tax,
              tax_behavior: "exclusive",
              taxability_reason: "standard_rated",
              taxable_amount: subtotal,
              type: "tax_rate_details",
            },
          ]
        : [],
      attempt_count: spec.attemptCount ?? 0,
      next_payment_attempt: spec.nextPaymentAttempt ?? null,
      parent: { type: "subscription_details", subscription_details: { subscription: sub.id, metadata: { ...sub.metadata } } },
    });
    invoice.lines.data = lines;
    invoice.lines.url = `/v1/invoices/${invoice.id}/lines`;
    invoices.set(invoice.id, invoice);
    return invoice;
  };

  const periodOfItem = (sub: FakeSubscription) => ({
    start: sub.items.data[0]!.current_period_start,
    end: sub.items.data[0]!.current_period_end,
  });

  /** Sends a signed event to the app's webhook (hosted mode), as Stripe does. */
  const deliverEvent = async (type: string, object: Record<string, unknown>) => {
    if (!options.hosted) return;
    const payload = stripeEvent(type, object);
    const answer = await fetch(options.hosted.webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signPayload(payload, options.hosted.webhookSecret) },
      body: payload,
    });
    if (!answer.ok) console.error(`fake Stripe: the webhook answered ${type} with ${answer.status}: ${await answer.text()}`);
  };

  /**
   * Hosted mode (e2e) plays Stripe Billing's side of a subscription's invoice: made
   * at once for a new subscription or an `always_invoice` change, its tax from the
   * subscription's tax rates, paid by the (always good) card, then announced by
   * signed `invoice.finalized` and `invoice.paid` events after the API call answered.
   */
  const chargeInHostedMode = (sub: FakeSubscription, billingReason: InvoiceSpec["billingReason"], lines: InvoiceSpec["lines"]) => {
    if (!options.hosted || !lines?.length) return;
    const subtotal = lines.reduce((sum, line) => sum + line.amount, 0);
    const taxCents =
      subtotal > 0 ? sub.default_tax_rates.reduce((sum, rate) => sum + Math.round((subtotal * rate.percentage) / 100), 0) : 0;
    const invoice = createInvoice(sub, { billingReason, lines, taxCents, status: "open" });
    setImmediate(() => {
      void (async () => {
        await deliverEvent("invoice.finalized", structuredClone(invoice) as unknown as Record<string, unknown>);
        invoice.status = "paid";
        invoice.attempt_count = 1;
        invoice.status_transitions.paid_at = now();
        await deliverEvent("invoice.paid", structuredClone(invoice) as unknown as Record<string, unknown>);
      })().catch((error: unknown) => console.error("fake Stripe: delivering the invoice's events failed", error));
    });
  };

  /** GET: the card page; POST: "Save card", which delivers the signed webhook first, as Stripe does before redirecting. */
  const hostedPage = async (request: StripeRequest, res: http.ServerResponse, sessionId: string) => {
    const session = sessions.find((s) => s.id === sessionId);
    if (!session || !options.hosted) return stripeError(res, 404, "No such checkout session");
    if (request.method === "GET") {
      const html = `<!doctype html><html lang="en"><head><title>Fake Stripe Checkout</title></head><body>
        <h1>Fake Stripe Checkout</h1><p>Saves ${nextCard.brand} ending in ${intents.get(session.setup_intent)?.card.last4}.</p>
        <form method="post"><button type="submit">Save card</button></form>
        <a href="${session.cancel_url.replace(/"/g, "&quot;")}">Back</a></body></html>`;
      return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    }
    const payload = sessionEvent("checkout.session.completed", session);
    const delivered = await fetch(options.hosted.webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signPayload(payload, options.hosted.webhookSecret) },
      body: payload,
    });
    if (!delivered.ok) return stripeError(res, 502, `The webhook answered ${delivered.status}: ${await delivered.text()}`);
    return res.writeHead(303, { location: session.success_url }).end();
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake-stripe");
      const header = (name: string) => [req.headers[name]].flat()[0];
      const request: StripeRequest = {
        method: req.method ?? "",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8"))),
        idempotencyKey: header("idempotency-key"),
        authorization: header("authorization"),
      };
      requests.push(request);
      route(request, res).catch((error: unknown) => stripeError(res, 500, String(error)));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sessions,
    customers,
    prices,
    taxRates,
    subscriptions,
    invoices,
    subscriptionsOf: (orgId) => [...subscriptions.values()].filter((sub) => sub.metadata.org_id === orgId && sub.status !== "canceled"),
    createInvoice,
    sessionFor(checkoutId) {
      const session = sessions.find((s) => s.client_reference_id === checkoutId);
      if (!session) throw new Error(`fake Stripe: no checkout session for checkout ${checkoutId}`);
      return session;
    },
    paymentMethodOf(session) {
      const found = intents.get(session.setup_intent);
      if (!found) throw new Error(`fake Stripe: no setup intent ${session.setup_intent}`);
      return found;
    },
    useCard(card) {
      nextCard = card;
    },
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

// ---------------------------------------------------------------------------
// Webhook events, signed the way Stripe signs them.

export type SessionEventType = "checkout.session.completed" | "checkout.session.expired";

/** A Stripe event around a checkout session (or any object), as the webhook endpoint receives it. */
export function stripeEvent(type: string, object: Record<string, unknown>, id = fakeId("evt")): string {
  return JSON.stringify({
    id,
    object: "event",
    api_version: "2025-01-27.acacia",
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  });
}

/** checkout.session.completed / .expired for a session of the fake server. */
export function sessionEvent(type: SessionEventType, session: FakeSession, id?: string): string {
  const status = type === "checkout.session.completed" ? "complete" : "expired";
  return stripeEvent(type, { ...session, status, url: status === "expired" ? null : session.url }, id);
}

/** The Stripe-Signature header for `payload`, made by the real SDK. */
export function signPayload(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp === undefined ? {} : { timestamp }) });
}

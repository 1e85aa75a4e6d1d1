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

  const state = {
    failing: false,
  };

  let baseUrl = "";
  const route = async (request: StripeRequest, res: http.ServerResponse) => {
    const page = /^\/pay\/([^/]+)$/.exec(request.path);
    if (options.hosted && page) return hostedPage(request, res, page[1]!);
    if (request.path === "/health") return res.writeHead(200).end("ok");
    const json = (value: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(value));
    if (state.failing) return stripeError(res, 500, "Fake outage");
    const { method, path, body } = request;

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

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

/*
 * The Stripe webhook reads its body only to check the signature, and it is
 * public: a body over 64 KB is refused with 413 before it is read (by its
 * Content-Length) or as soon as the bytes received pass the limit (a chunked body
 * or a false Content-Length). lib/env.ts parses the environment once per module
 * graph, so this file configures Stripe before the route first reads it.
 */
const LIMIT = 64 * 1024;
const URL_ = "http://localhost:3000/api/billing/stripe/webhook";

beforeAll(() => {
  vi.stubEnv("STRIPE_SECRET_KEY", "sk_test_body_limit");
  vi.stubEnv("STRIPE_WEBHOOK_SECRET", "whsec_body_limit");
  // The positive control reaches the database: a throw-away one, never the app's directory.
  vi.stubEnv("PGLITE_DIR", "memory://");
});
afterAll(() => vi.unstubAllEnvs());

const webhook = async () => (await import("@/app/api/billing/stripe/webhook/route")).POST;

/** A body of `chunks` chunks of 16 KB, counting how many the server pulled. */
function countedStream(chunks: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= chunks) return controller.close();
      state.pulled += 1;
      controller.enqueue(new Uint8Array(16 * 1024).fill(0x61));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

function post(body: BodyInit, headers: Record<string, string> = {}) {
  return new Request(URL_, {
    method: "POST",
    body,
    headers: { "stripe-signature": "t=1,v1=bad", ...headers },
    duplex: "half",
  } as RequestInit);
}

describe("POST /api/billing/stripe/webhook body size", () => {
  it("refuses a declared Content-Length over 64 KB with 413 without reading the body", async () => {
    const { stream, state } = countedStream(8);
    const response = await (await webhook())(post(stream, { "content-length": String(LIMIT + 1) }));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: expect.stringContaining("64 KB") });
    expect(state.pulled).toBeLessThanOrEqual(1);
  });

  it("cuts a body without a Content-Length off once it passes 64 KB (413), without reading the rest", async () => {
    const { stream, state } = countedStream(64); // 1 MB offered
    const response = await (await webhook())(post(stream));
    expect(response.status).toBe(413);
    expect(state.pulled).toBeLessThan(10);
  });

  it("positive control: a body within the limit reaches the signature check (400 for a bad signature)", async () => {
    const response = await (await webhook())(post(JSON.stringify({ id: "evt_1", padding: "x".repeat(LIMIT - 100) })));
    expect(response.status).toBe(400);
  });
});

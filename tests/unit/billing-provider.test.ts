import { afterEach, describe, expect, it, vi } from "vitest";

const saved = { ...process.env };

/** paymentProviderId() under these variables (lib/env caches, so each call loads it afresh). */
async function providerWith(vars: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const { paymentProviderId } = await import("@/lib/core/env");
  return paymentProviderId();
}

afterEach(() => {
  process.env = { ...saved };
});

describe("which payment provider takes cards", () => {
  it("is Stripe whenever a secret key (and its webhook secret) is set", async () => {
    expect(await providerWith({ NODE_ENV: "production", STRIPE_SECRET_KEY: "sk_test_x", STRIPE_WEBHOOK_SECRET: "whsec_x" })).toBe("stripe");
  });

  it("is the test checkout outside production by default", async () => {
    expect(await providerWith({ NODE_ENV: "development", STRIPE_SECRET_KEY: undefined, BILLING_TEST_MODE: undefined })).toBe("test");
  });

  it("is none in production unless BILLING_TEST_MODE=true: test cards must never buy a real plan", async () => {
    expect(await providerWith({ NODE_ENV: "production", STRIPE_SECRET_KEY: undefined, BILLING_TEST_MODE: undefined })).toBe("none");
    expect(await providerWith({ NODE_ENV: "production", STRIPE_SECRET_KEY: undefined, BILLING_TEST_MODE: "true" })).toBe("test");
    expect(await providerWith({ NODE_ENV: "development", STRIPE_SECRET_KEY: undefined, BILLING_TEST_MODE: "false" })).toBe("none");
  });

  it("refuses a Stripe key without the webhook secret, which would never record a card", async () => {
    await expect(providerWith({ STRIPE_SECRET_KEY: "sk_test_x", STRIPE_WEBHOOK_SECRET: undefined })).rejects.toThrow(
      /STRIPE_WEBHOOK_SECRET/,
    );
  });
});

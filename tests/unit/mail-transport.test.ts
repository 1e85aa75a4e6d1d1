import { afterEach, describe, expect, it, vi } from "vitest";

const saved = { ...process.env };

/** mailTransport() under these variables (lib/env caches, so each call loads it afresh). */
async function transportWith(vars: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const { mailTransport } = await import("@/lib/core/env");
  return mailTransport();
}

afterEach(() => {
  process.env = { ...saved };
});

describe("which mail transport sends e-mail", () => {
  it("is Resend whenever an API key is set", async () => {
    expect(await transportWith({ NODE_ENV: "production", RESEND_API_KEY: "re_x" })).toBe("resend");
  });

  it("is the outbox outside production", async () => {
    expect(await transportWith({ NODE_ENV: "development", RESEND_API_KEY: undefined, MAIL_OUTBOX_IN_PRODUCTION: undefined })).toBe(
      "outbox",
    );
  });

  it("is none in production unless MAIL_OUTBOX_IN_PRODUCTION=true: the outbox would keep links where they do not belong", async () => {
    expect(await transportWith({ NODE_ENV: "production", RESEND_API_KEY: undefined, MAIL_OUTBOX_IN_PRODUCTION: undefined })).toBe("none");
    expect(await transportWith({ NODE_ENV: "production", RESEND_API_KEY: undefined, MAIL_OUTBOX_IN_PRODUCTION: "false" })).toBe("none");
    expect(await transportWith({ NODE_ENV: "production", RESEND_API_KEY: undefined, MAIL_OUTBOX_IN_PRODUCTION: "true" })).toBe("outbox");
  });
});

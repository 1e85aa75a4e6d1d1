import { afterEach, describe, expect, it, vi } from "vitest";

import { registrableDomain } from "@/lib/core/startup-checks";

const saved = { ...process.env };

/** startupWarnings() under these variables (lib/env caches, so each call loads it afresh). */
async function warningsWith(vars: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const { startupWarnings } = await import("@/lib/core/startup-checks");
  return startupWarnings();
}

afterEach(() => {
  process.env = { ...saved };
});

describe("start-up warnings", () => {
  it("warns when APPS_DOMAIN shares the console's registrable domain", async () => {
    const warnings = await warningsWith({ APP_URL: "https://console.example.com", APPS_DOMAIN: "apps.example.com" });
    expect(warnings).toEqual([
      expect.stringContaining("APPS_DOMAIN (apps.example.com) shares the console's registrable domain (example.com)"),
    ]);
    expect(await warningsWith({ APP_URL: "https://example.com", APPS_DOMAIN: "example.com" })).toHaveLength(1);
  });

  it("says nothing for apps on a domain of their own, or a console on localhost", async () => {
    expect(await warningsWith({ APP_URL: "https://console.example.com", APPS_DOMAIN: "example-apps.net" })).toEqual([]);
    expect(await warningsWith({ APP_URL: "http://localhost:3000", APPS_DOMAIN: "apps.example.com" })).toEqual([]);
    expect(await warningsWith({ APP_URL: "https://console.example.co.uk", APPS_DOMAIN: "apps.other.co.uk" })).toEqual([]);
  });

  it("warns when production has no way to deliver e-mail", async () => {
    const warnings = await warningsWith({ NODE_ENV: "production", RESEND_API_KEY: undefined, MAIL_OUTBOX_IN_PRODUCTION: undefined });
    expect(warnings).toEqual([expect.stringContaining("No e-mail will be delivered")]);
  });
});

describe("registrableDomain", () => {
  it.each([
    ["console.example.com", "example.com"],
    ["example.com", "example.com"],
    ["a.b.example.co.uk", "example.co.uk"],
    ["localhost", undefined],
    ["127.0.0.1", undefined],
  ])("%s → %s", (host, site) => {
    expect(registrableDomain(host)).toBe(site);
  });
});

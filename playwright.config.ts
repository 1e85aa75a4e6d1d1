import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

// The e2e suite drives the production build (`next build` runs first, in
// scripts/test.sh) on a fresh embedded database in a temporary directory, with
// e-mail going to the outbox that /dev/mail shows.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = process.env.E2E_PGLITE_DIR ?? path.join(mkdtempSync(path.join(tmpdir(), "console-e2e-")), "pglite");

// A second instance of the app in Stripe mode (e2e/stripe.spec.ts), on its own
// database, talking to a local fake Stripe that also plays the hosted checkout.
const stripePort = port + 1;
const fakeStripePort = port + 2;
const stripeDataDir = path.join(mkdtempSync(path.join(tmpdir(), "console-e2e-stripe-")), "pglite");
const webhookSecret = "whsec_e2e_not_a_real_secret";

/** Lets the suite seed signed-in accounts through lib/ (app/api/test/seed); a value for this run only. */
export const E2E_SEED_TOKEN = process.env.E2E_SEED_TOKEN ?? `e2e-seed-${randomBytes(24).toString("hex")}`;
process.env.E2E_SEED_TOKEN = E2E_SEED_TOKEN;

const appEnv = (url: string, pgliteDir: string) => ({
  NODE_ENV: "production",
  PGLITE_DIR: pgliteDir,
  APP_URL: url,
  AUTH_SECRET: "e2e-secret-not-for-production-0123456789abcdef",
  SECRETS_KEY: "MjO7GuEtt5WxcbBOVnNDJoykL6BvMH0naE78vWeiR1g=",
  DATABASE_URL: "",
  RESEND_API_KEY: "",
  STRIPE_SECRET_KEY: "",
  STRIPE_WEBHOOK_SECRET: "",
  STRIPE_API_URL: "",
  // The test payment page, which production refuses unless asked for.
  BILLING_TEST_MODE: "true",
  // The specs read e-mails from the outbox page, which production hides by default,
  // with the outbox transport, which production refuses unless asked for.
  OUTBOX_UI: "true",
  MAIL_OUTBOX_IN_PRODUCTION: "true",
  // Short enough for a spec to wait it out, long enough to see the refusal.
  INVITE_RESEND_COOLDOWN_SECONDS: "8",
  // Every spec signs up from 127.0.0.1: more accounts in an hour than one network may make.
  SIGN_UP_LIMIT_PER_IP: "1000",
  // e2e/helpers.ts newSignedInUser seeds accounts through POST /api/test/seed with it.
  E2E_SEED_TOKEN: E2E_SEED_TOKEN,
});

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    {
      command: `npx next start -p ${port} -H 127.0.0.1`,
      url: `${baseURL}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: appEnv(baseURL, dataDir),
    },
    {
      command: `npx next start -p ${stripePort} -H 127.0.0.1`,
      url: `http://127.0.0.1:${stripePort}/api/health`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        ...appEnv(`http://127.0.0.1:${stripePort}`, stripeDataDir),
        STRIPE_SECRET_KEY: "sk_test_e2e_fake",
        STRIPE_WEBHOOK_SECRET: webhookSecret,
        STRIPE_API_URL: `http://127.0.0.1:${fakeStripePort}`,
      },
    },
    {
      command: "npx tsx e2e/fake-stripe-server.ts",
      url: `http://127.0.0.1:${fakeStripePort}/health`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        FAKE_STRIPE_PORT: String(fakeStripePort),
        FAKE_STRIPE_WEBHOOK_URL: `http://127.0.0.1:${stripePort}/api/billing/stripe/webhook`,
        FAKE_STRIPE_WEBHOOK_SECRET: webhookSecret,
      },
    },
  ],
});

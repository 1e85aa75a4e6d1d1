import "server-only";

import { z } from "zod";

/**
 * The one place that reads process.env. Parsed lazily (on first use) so that
 * `next build`, which imports modules without a runtime environment, does not
 * fail on variables only the running server needs.
 */
const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z.string().url().optional(),
    PGLITE_DIR: z.string().min(1).default(".data/pglite"),
    // Connections each process opens to PostgreSQL (the app's queries and its job queue share them).
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    // "false" behind a pooler in transaction mode (PgBouncer): no named prepared statements.
    DATABASE_PREPARED_STATEMENTS: z.enum(["true", "false"]).default("true"),
    // "false": this web process runs no job workers (run \`npm run worker\` beside it).
    JOBS_IN_PROCESS: z.enum(["true", "false"]).default("true"),
    // How often a failed job runs again (exponential backoff with jitter from JOB_RETRY_DELAY_SECONDS)
    // before it is dead: about 1 hour in all with the defaults.
    JOB_RETRY_LIMIT: z.coerce.number().int().min(0).max(50).default(9),
    JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(8),
    // A job held longer than this (its worker died or hung) is taken over by another worker.
    JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
    // How often idle workers look for new jobs, and how often expired jobs are swept.
    JOB_POLL_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
    JOB_MAINTENANCE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    // How long one delivery to the mail provider may take before it counts as failed (and is retried).
    MAIL_SEND_TIMEOUT_SECONDS: z.coerce.number().min(0.1).max(120).default(10),
    // pino's levels: fatal, error, warn, info, debug, trace, silent.
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    APP_URL: z.string().url().default("http://localhost:3000"),
    AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters"),
    RESEND_API_KEY: z.string().min(1).optional(),
    // Without a trailing slash: the SDK appends "/emails".
    RESEND_BASE_URL: z
      .string()
      .url()
      .transform((url) => url.replace(/\/+$/, ""))
      .optional(),
    // The /dev/mail outbox page: on by default outside production, where it would show anyone every reset link.
    OUTBOX_UI: z.enum(["true", "false"]).optional(),
    // Production refuses the outbox transport (no e-mail leaves the server) unless this is "true".
    MAIL_OUTBOX_IN_PRODUCTION: z.enum(["true", "false"]).optional(),
    MAIL_FROM: z.string().min(3).default("Console <noreply@localhost>"),
    // Default domain of app URLs: <app>-<org>.<APPS_DOMAIN>.
    APPS_DOMAIN: z.string().min(3).default("apps.example.com"),
    // How many organizations one user may belong to (support can override per user).
    ORG_LIMIT_PER_USER: z.coerce.number().int().positive().default(5),
    // Invitations (sent or resent) one organization may send per day.
    INVITES_PER_ORG_PER_DAY: z.coerce.number().int().positive().default(50),
    // Invitations (sent or resent) one user, and one IP, may send per day, whatever the org: deleting an org resets nothing.
    INVITES_PER_USER_PER_DAY: z.coerce.number().int().positive().default(50),
    INVITES_PER_IP_PER_DAY: z.coerce.number().int().positive().default(100),
    // How long after sending an invitation it can be sent again.
    INVITE_RESEND_COOLDOWN_SECONDS: z.coerce.number().int().min(0).default(60),
    // 32 bytes, base64: encrypts secret values (AES-256-GCM). `npm run dev` generates one into .env.local.
    SECRETS_KEY: z.string().optional(),
    // Where users are sent to ask for higher limits.
    SUPPORT_EMAIL: z.string().email().default("support@example.com"),
    // Where Enterprise plan requests are e-mailed.
    SALES_EMAIL: z.string().email().default("sales@example.com"),
    // Stripe: with a secret key, payment methods go through Stripe Checkout; without, the built-in test payment page.
    STRIPE_SECRET_KEY: z.string().min(1).optional(),
    // The signing secret of the webhook endpoint (/api/billing/stripe/webhook); required with STRIPE_SECRET_KEY.
    STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
    // The built-in test payment page (no STRIPE_SECRET_KEY): on by default outside production, where it would give paid plans away.
    BILLING_TEST_MODE: z.enum(["true", "false"]).optional(),
    // Test-only: enables POST /api/test/seed for the e2e suite (a request must carry it). Never set it in production.
    E2E_SEED_TOKEN: z.string().min(32).optional(),
    // Another Stripe API base URL, e.g. a local stripe-mock (http://localhost:12111). Default: Stripe's own.
    STRIPE_API_URL: z.string().url().optional(),
    // Sign-in attempts allowed per account and per IP in one 15-minute window.
    SIGN_IN_LIMIT_PER_ACCOUNT: z.coerce.number().int().positive().default(10),
    SIGN_IN_LIMIT_PER_IP: z.coerce.number().int().positive().default(50),
    SIGN_UP_LIMIT_PER_IP: z.coerce.number().int().positive().default(20),
    // Password-reset and verification e-mails per account per hour.
    EMAIL_LINK_LIMIT_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
    // Reverse proxies in front of the app that append to X-Forwarded-For; 0 = none: the
    // client's address is the socket's peer and forwarded headers are ignored (lib/core/client-ip.ts).
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(20).default(0),
  })
  .refine((config) => !config.STRIPE_SECRET_KEY || config.STRIPE_WEBHOOK_SECRET, {
    path: ["STRIPE_WEBHOOK_SECRET"],
    message: "required with STRIPE_SECRET_KEY: without it no card would ever be recorded",
  });

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    // An empty variable means "not set" (shells and CI often export VAR= ).
    const defined = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ""));
    const parsed = envSchema.safeParse(defined);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
      throw new Error(`Invalid environment:\n${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/**
 * The log level, read without parsing the rest of the environment: the logger must
 * work before (and when) the environment fails to parse, to say so.
 */
export function logLevel(): string {
  return process.env.LOG_LEVEL || (process.env.NODE_ENV === "test" ? "warn" : "info");
}

/**
 * The URL next-auth builds its own from, when set (it reads AUTH_URL, else NEXTAUTH_URL,
 * itself; this app does not ask for either): its protocol decides the session cookie's
 * name (lib/next/session-cookie.ts).
 */
export function authUrl(): string | undefined {
  return (process.env.AUTH_URL ?? process.env.NEXTAUTH_URL) || undefined;
}

/** Whether /dev/mail may show the outbox: only with the outbox transport, and in production only when asked for. */
export function outboxPageEnabled(): boolean {
  const config = env();
  if (mailTransport() !== "outbox") return false;
  return config.OUTBOX_UI ? config.OUTBOX_UI === "true" : config.NODE_ENV !== "production";
}

/**
 * Which payment provider takes card details: Stripe when configured, else the
 * built-in test checkout where allowed, else none (paid plans are unavailable).
 */
export function paymentProviderId(): "stripe" | "test" | "none" {
  const config = env();
  if (config.STRIPE_SECRET_KEY) return "stripe";
  const testMode = config.BILLING_TEST_MODE ? config.BILLING_TEST_MODE === "true" : config.NODE_ENV !== "production";
  return testMode ? "test" : "none";
}

/**
 * Which mail transport is active: Resend when configured, else the outbox (the
 * zero-setup default outside production). Production refuses the outbox unless
 * MAIL_OUTBOX_IN_PRODUCTION=true: "none" records each e-mail as failed, with why.
 */
export function mailTransport(): "resend" | "outbox" | "none" {
  const config = env();
  if (config.RESEND_API_KEY) return "resend";
  if (config.NODE_ENV !== "production" || config.MAIL_OUTBOX_IN_PRODUCTION === "true") return "outbox";
  return "none";
}

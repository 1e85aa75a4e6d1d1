import { sql, type AnyColumn } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

import { PLAN_ORDER } from "@/lib/shared/plans";
import { ROLES } from "@/lib/shared/roles";

// Closed vocabularies are Postgres enums, named after what they hold (one style throughout).
export const planId = pgEnum("plan_id", PLAN_ORDER);
export const memberRole = pgEnum("member_role", ROLES);
export const checkoutStatus = pgEnum("checkout_status", ["open", "completed", "expired"]);
/** Whether an org's payments are up to date: a failed charge shows a banner; past due limits it to Starter's. */
export const billingState = pgEnum("billing_state", ["current", "payment_failed", "past_due"]);
export const subscriptionStatus = pgEnum("subscription_status", ["active", "canceled"]);
export const invoiceStatus = pgEnum("invoice_status", ["draft", "open", "paid", "failed", "void"]);
/** `period`: a period's invoice (its plan in advance, the last period's usage and credits); `proration`: an upgrade's difference, charged at once; `final`: the last period's usage and credits when a plan ends. */
export const invoiceKind = pgEnum("invoice_kind", ["period", "proration", "final"]);
export const invoiceLineKind = pgEnum("invoice_line_kind", ["plan", "proration", "usage", "credit"]);

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // Always stored lower-cased and trimmed (lib/shared/validation.ts normalises it).
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    emailVerifiedAt: timestamp("email_verified_at", { withTimezone: true }),
    // Sessions carry this number; bumping it ends every session that holds the old one.
    sessionVersion: integer("session_version").notNull().default(1),
    // The organization `/` and sign-in land in; set on every visit to an org.
    lastOrgId: uuid("last_org_id").references((): AnyPgColumn => organizations.id, { onDelete: "set null" }),
    // Support can raise (or lower) the organization limit of one user; null = the default.
    maxOrgs: integer("max_orgs"),
    createdAt: createdAt(),
    // Two-factor (lib/auth/two-factor.ts): the TOTP secret, sealed (never in the clear); set and
    // not yet enabled while the set-up waits for its first code. The last accepted time step
    // refuses a code's second use.
    twoFactorSecret: text("two_factor_secret"),
    twoFactorEnabledAt: timestamp("two_factor_enabled_at", { withTimezone: true }),
    twoFactorLastStep: bigint("two_factor_last_step", { mode: "number" }),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email)],
);

/** Single-use recovery codes of a user's two-factor, stored hashed (SHA-256: they are random, not chosen). */
export const twoFactorRecoveryCodes = pgTable(
  "two_factor_recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("two_factor_recovery_codes_user_hash_unique").on(t.userId, t.codeHash)],
);

/**
 * One row per sign-in (one browser). The session cookie carries its id, and every
 * request checks the row: signing out ends it, so a copy of the cookie stops
 * working while the user's other sessions go on. Ending every session at once is
 * still the user's `sessionVersion`.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    // Updated at most once a minute while the session is used.
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const authTokenPurpose = pgEnum("auth_token_purpose", ["verify_email", "reset_password"]);

/** E-mailed one-time links. Only the SHA-256 of the secret is stored. */
export const authTokens = pgTable(
  "auth_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: authTokenPurpose("purpose").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("auth_tokens_hash_unique").on(t.tokenHash), index("auth_tokens_user_idx").on(t.userId, t.purpose)],
);

/**
 * A requested change of a user's address (lib/auth/email-change.ts): the new address
 * waits here until its one-time link is opened. Only the SHA-256 of the link's secret
 * is stored; the user's address changes only on confirmation.
 */
export const emailChanges = pgTable(
  "email_changes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    newEmail: text("new_email").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("email_changes_hash_unique").on(t.tokenHash), index("email_changes_user_idx").on(t.userId)],
);

export const emailStatus = pgEnum("email_status", ["queued", "sent", "failed"]);

/** Every e-mail the app sends, whatever the transport: the outbox and the audit of mail. */
export const emails = pgTable(
  "emails",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    template: text("template").notNull(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    // One-time secrets (a link's token) are stored as [redacted] in subject, html and text.
    html: text("html").notNull(),
    text: text("text").notNull(),
    // The full body, encrypted (lib/mail/sealed-body.ts), of an e-mail that carries a secret:
    // kept until it is delivered, or for the development outbox page; null otherwise.
    sealedBody: text("sealed_body"),
    transport: text("transport").notNull(),
    status: emailStatus("status").notNull().default("queued"),
    providerId: text("provider_id"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [index("emails_status_created_idx").on(t.status, t.createdAt), index("emails_created_idx").on(t.createdAt)],
);

/** Fixed-window counters shared by every app instance that uses the same database. */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.key, t.windowStart] }), index("rate_limits_window_idx").on(t.windowStart)],
);

const lower = (column: AnyColumn) => sql`lower(${column})`;

export const organizations = pgTable(
  "organizations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    plan: planId("plan").notNull().default("starter"),
    // Support can override the plan's member limit for one org; null = the plan's.
    maxMembers: integer("max_members"),
    // The org's customer at the payment provider (Stripe), created on its first checkout.
    providerCustomerId: text("provider_customer_id"),
    createdAt: createdAt(),
    // Owners' policy: members without two-factor cannot open the org or use their API tokens in it.
    requireTwoFactor: boolean("require_two_factor").notNull().default(false),
    // Kept by lib/billing/charges.ts in the transaction that records a charge's outcome.
    billingState: billingState("billing_state").notNull().default("current"),
    // How many members the org has: kept by a trigger on memberships (migration 0016) in the
    // transaction of every insert and delete, so pages show it without counting the rows.
    memberCount: integer("member_count").notNull().default(0),
  },
  (t) => [uniqueIndex("organizations_name_unique").on(lower(t.name))],
);

/** Former names, so old /orgs/OLD/... links redirect until another org takes the name. */
export const orgNameHistory = pgTable(
  "org_name_history",
  {
    oldName: text("old_name").notNull(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    renamedAt: timestamp("renamed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("org_name_history_old_name_unique").on(lower(t.oldName)), index("org_name_history_org_idx").on(t.orgId)],
);

export const memberships = pgTable(
  "memberships",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull().defaultNow(),
    // What the member may do (lib/shared/roles.ts). Members from before roles became owners.
    role: memberRole("role").notNull().default("member"),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    index("memberships_user_idx").on(t.userId),
    index("memberships_org_joined_idx").on(t.orgId, t.joinedAt, t.userId),
  ],
);

/**
 * The activity stream. Append-only: only lib/activity/record.ts inserts, a trigger
 * refuses UPDATE, and rows go only with their organization (cascade).
 * Actor and target labels are snapshots, readable after either is gone.
 */
export const activities = pgTable(
  "activities",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    actorUserId: uuid("actor_user_id"),
    actorTokenId: uuid("actor_token_id"),
    // Snapshot of the API token's name, so "using API token NAME" survives its deletion.
    actorTokenName: text("actor_token_name"),
    actorName: text("actor_name").notNull(),
    actorEmail: text("actor_email"),
    targetType: text("target_type"),
    targetId: text("target_id"),
    targetLabel: text("target_label"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
  },
  (t) => [
    index("activities_org_created_idx").on(t.orgId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("activities_org_type_created_idx").on(t.orgId, t.type, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("activities_org_actor_created_idx").on(t.orgId, t.actorUserId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);

export const invitationStatus = pgEnum("invitation_status", ["pending", "accepted", "declined", "removed"]);

/**
 * An invitation by e-mail. The link's secret is stored only as its SHA-256;
 * resending replaces it. At most one pending invitation per (org, email).
 */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    // Snapshot: the invitation page still says who invited after that account is gone.
    invitedByName: text("invited_by_name").notNull(),
    status: invitationStatus("status").notNull().default("pending"),
    // The role the invitee gets on joining.
    role: memberRole("role").notNull().default("member"),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    lastSentAt: timestamp("last_sent_at", { withTimezone: true }).notNull().defaultNow(),
    sendCount: integer("send_count").notNull().default(1),
    respondedAt: timestamp("responded_at", { withTimezone: true }),
    respondedBy: uuid("responded_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    uniqueIndex("invitations_token_hash_unique").on(t.tokenHash),
    uniqueIndex("invitations_one_pending_per_email")
      .on(t.orgId, t.email)
      .where(sql`${t.status} = 'pending'`),
    index("invitations_org_status_idx").on(t.orgId, t.status, t.createdAt),
    index("invitations_email_pending_idx")
      .on(t.email)
      .where(sql`${t.status} = 'pending'`),
  ],
);

/** An org's apps: enough of a resource to prove isolation and give the API something to do. */
export const apps = pgTable(
  "apps",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // The default address's DNS label, `<app>-<org>` (lib/apps/apps.ts keeps it on every app
    // and org rename). `<app>-<org>` alone is ambiguous (api + shop-prod, api-shop + prod),
    // so it is unique across all orgs. Null only for an app migrated without an address of
    // its own (another, older app had it, or it was over 63 characters): renaming gives one.
    hostLabel: text("host_label"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdByName: text("created_by_name").notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("apps_org_name_unique").on(t.orgId, t.name), uniqueIndex("apps_host_label_unique").on(t.hostLabel)],
);

/** Secrets: the value is encrypted (AES-256-GCM) and is only ever decrypted on an explicit reveal. */
export const secrets = pgTable(
  "secrets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // "v1.<iv>.<tag>.<ciphertext>", base64url parts; see lib/secrets/secret-box.ts.
    valueCiphertext: text("value_ciphertext").notNull(),
    keyVersion: integer("key_version").notNull().default(1),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdByName: text("created_by_name").notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("secrets_org_name_unique").on(t.orgId, t.name)],
);

/**
 * API access tokens, owned by (user, org). Only the SHA-256 of the secret is kept.
 * A token works only while its user is a member of its org: the check joins the
 * live membership on every request, so leaving disables it and rejoining revives it.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdByName: text("created_by_name").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    // Enough to recognise a token in a list ("oc_AbCd…wxyz"), never enough to use it.
    hint: text("hint").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("api_tokens_hash_unique").on(t.tokenHash), index("api_tokens_org_idx").on(t.orgId, t.createdAt)],
);

/** Who the org's invoices are addressed to: one row per org, written by the billing form. */
export const billingDetails = pgTable("billing_details", {
  orgId: uuid("org_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  name: text("name").notNull(),
  email: text("email").notNull(),
  addressLine1: text("address_line1").notNull(),
  addressLine2: text("address_line2"),
  city: text("city").notNull(),
  postalCode: text("postal_code").notNull(),
  // ISO 3166-1 alpha-2.
  country: text("country").notNull(),
  taxId: text("tax_id"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The org's current payment method: what a person needs to recognise the card,
 * never the number. `providerRef` is the provider's id for it (Stripe's pm_…).
 */
export const paymentMethods = pgTable("payment_methods", {
  orgId: uuid("org_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  provider: text("provider").notNull(),
  providerRef: text("provider_ref"),
  brand: text("brand").notNull(),
  last4: text("last4").notNull(),
  expMonth: integer("exp_month").notNull(),
  expYear: integer("exp_year").notNull(),
  addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A trip to the payment page: to add or replace the payment method, and, when
 * `plan` is set, to move to that plan once the method is saved. Who started it is
 * kept, because a provider's webhook completes it without a session.
 */
export const checkouts = pgTable(
  "checkouts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    plan: planId("plan"),
    provider: text("provider").notNull(),
    providerSessionId: text("provider_session_id"),
    status: checkoutStatus("status").notNull().default("open"),
    startedBy: uuid("started_by").references(() => users.id, { onDelete: "set null" }),
    startedByName: text("started_by_name").notNull(),
    startedByEmail: text("started_by_email").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("checkouts_provider_session_unique").on(t.provider, t.providerSessionId),
    index("checkouts_org_idx").on(t.orgId, t.createdAt),
  ],
);

/** Provider events already applied: a redelivered event finds its id here and changes nothing. */
export const processedWebhookEvents = pgTable(
  "processed_webhook_events",
  {
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    processedAt: timestamp("processed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] })],
);

/**
 * An org's paid plan as a monthly subscription: one row per org, reused when it
 * subscribes again. Periods are counted from `anchorAt` (a month each, the day
 * clamped to the month's length), so Jan 31 renews on Feb 28, then Mar 31.
 */
export const subscriptions = pgTable("subscriptions", {
  orgId: uuid("org_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  // "test": the built-in cycle (lib/billing/cycle.ts) bills it; "stripe": Stripe Billing does, its webhook tells us.
  provider: text("provider").notNull(),
  providerSubscriptionId: text("provider_subscription_id"),
  plan: planId("plan").notNull(),
  status: subscriptionStatus("status").notNull().default("active"),
  anchorAt: timestamp("anchor_at", { withTimezone: true }).notNull(),
  periodNumber: integer("period_number").notNull().default(0),
  currentPeriodStart: timestamp("current_period_start", { withTimezone: true }).notNull(),
  currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }).notNull(),
  cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Credits and charges waiting for the org's next invoice (a downgrade's unused time). */
export const pendingInvoiceItems = pgTable(
  "pending_invoice_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    kind: invoiceLineKind("kind").notNull(),
    description: text("description").notNull(),
    amountCents: integer("amount_cents").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("pending_invoice_items_org_idx").on(t.orgId, t.createdAt)],
);

/**
 * Invoices, immutable once issued (a trigger refuses changes to their amounts and
 * lines). They outlive their org, as accounting needs: `org_id` has no foreign key
 * and `bill_to` keeps who it was addressed to. Amounts are integer cents.
 */
export const invoices = pgTable(
  "invoices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: text("number").notNull(),
    orgId: uuid("org_id").notNull(),
    orgName: text("org_name").notNull(),
    kind: invoiceKind("kind").notNull(),
    plan: planId("plan").notNull(),
    status: invoiceStatus("status").notNull().default("draft"),
    currency: text("currency").notNull().default("usd"),
    periodStart: timestamp("period_start", { withTimezone: true }).notNull(),
    periodEnd: timestamp("period_end", { withTimezone: true }).notNull(),
    subtotalCents: integer("subtotal_cents").notNull().default(0),
    taxCents: integer("tax_cents").notNull().default(0),
    totalCents: integer("total_cents").notNull().default(0),
    taxRateBasisPoints: integer("tax_rate_basis_points").notNull().default(0),
    taxLabel: text("tax_label").notNull().default(""),
    reverseCharge: boolean("reverse_charge").notNull().default(false),
    billTo: jsonb("bill_to").$type<InvoiceBillTo>().notNull(),
    provider: text("provider").notNull(),
    providerInvoiceId: text("provider_invoice_id"),
    issuedAt: timestamp("issued_at", { withTimezone: true }),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    voidedAt: timestamp("voided_at", { withTimezone: true }),
    attemptCount: integer("attempt_count").notNull().default(0),
    firstFailedAt: timestamp("first_failed_at", { withTimezone: true }),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("invoices_number_unique").on(t.number),
    // One invoice per org and period: a replayed renewal or a concurrent plan change cannot bill twice.
    uniqueIndex("invoices_org_period_unique")
      .on(t.orgId, t.periodStart)
      .where(sql`${t.kind} <> 'proration'`),
    uniqueIndex("invoices_provider_invoice_unique").on(t.provider, t.providerInvoiceId),
    index("invoices_org_created_idx").on(t.orgId, t.createdAt),
    index("invoices_retry_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'failed'`),
  ],
);

export interface InvoiceBillTo {
  name: string;
  email: string;
  addressLine1: string;
  addressLine2: string | null;
  city: string;
  postalCode: string;
  country: string;
  taxId: string | null;
}

export const invoiceLines = pgTable(
  "invoice_lines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    kind: invoiceLineKind("kind").notNull(),
    description: text("description").notNull(),
    quantity: integer("quantity").notNull().default(1),
    unitAmountCents: integer("unit_amount_cents").notNull(),
    amountCents: integer("amount_cents").notNull(),
  },
  (t) => [uniqueIndex("invoice_lines_position_unique").on(t.invoiceId, t.position)],
);

/** Gapless invoice numbers: the counter row is taken in the issuing transaction, so a rollback returns its number. */
export const invoiceNumbers = pgTable("invoice_numbers", {
  id: boolean("id").primaryKey().default(true),
  last: integer("last").notNull().default(0),
});

/**
 * Resource usage as it happens: one row per app's lifetime, opened when it is
 * created and closed when it is deleted, in the same transaction. App-hours of a
 * period are the overlaps, each rounded up to the hour.
 */
export const appUsage = pgTable(
  "app_usage",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    appId: uuid("app_id").notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    index("app_usage_org_idx").on(t.orgId, t.startedAt),
    uniqueIndex("app_usage_open_unique")
      .on(t.appId)
      .where(sql`${t.endedAt} IS NULL`),
  ],
);

/** The billing clock of test mode: an offset tests (and the dev page) move forward instead of waiting a month. */
export const billingClock = pgTable("billing_clock", {
  id: boolean("id").primaryKey().default(true),
  offsetSeconds: bigint("offset_seconds", { mode: "number" }).notNull().default(0),
});

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type App = typeof apps.$inferSelect;
export type Secret = typeof secrets.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type Invitation = typeof invitations.$inferSelect;
export type Organization = typeof organizations.$inferSelect;
export type Activity = typeof activities.$inferSelect;
export type Email = typeof emails.$inferSelect;
export type BillingDetails = typeof billingDetails.$inferSelect;
export type PaymentMethod = typeof paymentMethods.$inferSelect;
export type Checkout = typeof checkouts.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type Invoice = typeof invoices.$inferSelect;
export type InvoiceLine = typeof invoiceLines.$inferSelect;

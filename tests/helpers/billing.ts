import { eq } from "drizzle-orm";
import { expect } from "vitest";

import type { Db } from "@/db/client";
import { checkouts, organizations, paymentMethods, processedWebhookEvents, type Activity, type Organization } from "@/db/schema";
import { updateBillingDetails } from "@/lib/billing/billing-details";
import { changePlan } from "@/lib/billing/plan-change";
import { testProvider } from "@/lib/billing/provider";
import { payTestCheckout } from "@/lib/billing/test-checkout";
import type { Actor } from "@/lib/core/actor";
import { inviteMembers } from "@/lib/invitations/invite";

import { activitiesOf } from "./activity";
import { actorOf, addMember, seedOrg, seedUser, uniqueEmail, type SeededUser } from "./seed";

/** Billing information that passes every rule (a German company with its VAT number). */
export function billingInput(overrides: Record<string, unknown> = {}) {
  return {
    name: "Acme GmbH",
    email: "billing@acme.example.test",
    addressLine1: "Hauptstraße 1",
    addressLine2: "",
    city: "Berlin",
    postalCode: "10115",
    country: "DE",
    taxId: "DE123456789",
    ...overrides,
  };
}

/** A card expiry a few years ahead, as "MM / YY". */
export const FUTURE_EXPIRY = `12 / ${String((new Date().getUTCFullYear() + 5) % 100).padStart(2, "0")}`;
export const FUTURE_EXPIRY_YEAR = new Date().getUTCFullYear() + 5;

export interface BillingOrg {
  owner: SeededUser;
  actor: Actor;
  org: Organization;
}

/** A fresh owner and org on Starter, with billing information unless `details: false`. */
export async function seedBillingOrg(db: Db, options: { details?: boolean } = {}): Promise<BillingOrg> {
  const owner = await seedUser(db);
  const org = await seedOrg(db, owner);
  const actor = actorOf(owner);
  if (options.details !== false) await updateBillingDetails(db, actor, { org: { name: org.name }, details: billingInput() });
  return { owner, actor, org };
}

/** Submits the test payment page. */
export function payTest(db: Db, actor: Actor, checkoutId: string, cardNumber: string, card: { expiry?: string; cvc?: string } = {}) {
  return payTestCheckout(db, actor, { checkoutId, cardNumber, cardExpiry: card.expiry ?? FUTURE_EXPIRY, cardCvc: card.cvc ?? "123" });
}

/** Through the test checkout: a card on file and `plan` applied. */
export async function upgradeWithTestCard(db: Db, { actor, org }: BillingOrg, plan: "pro" | "scale" = "pro"): Promise<void> {
  const change = await changePlan(db, actor, { org: { name: org.name }, plan }, testProvider);
  if (change.status !== "checkout") throw new Error(`expected a checkout, got ${change.status}`);
  await payTest(db, actor, change.checkoutId, "4242 4242 4242 4242");
  expect(await planOf(db, org.id)).toBe(plan);
}

/** `count` more members (added directly, as joining does, without the seat check). */
export async function addMembers(db: Db, org: Pick<Organization, "id">, count: number): Promise<SeededUser[]> {
  const users: SeededUser[] = [];
  for (let i = 0; i < count; i++) {
    const user = await seedUser(db);
    await addMember(db, user.id, org.id);
    users.push(user);
  }
  return users;
}

/** `count` pending invitations to fresh addresses; returns the addresses. */
export async function inviteFresh(db: Db, actor: Actor, org: Pick<Organization, "name">, count: number): Promise<string[]> {
  const emails = Array.from({ length: count }, () => uniqueEmail("invitee"));
  if (count === 0) return emails;
  const outcomes = await inviteMembers(db, actor, { org: { name: org.name }, emails: emails.join(",") });
  expect(outcomes.map((o) => o.status)).toEqual(emails.map(() => "invited"));
  return emails;
}

export async function orgRow(db: Db, orgId: string): Promise<Organization> {
  const [row] = await db.select().from(organizations).where(eq(organizations.id, orgId));
  if (!row) throw new Error(`no org ${orgId}`);
  return row;
}

export async function planOf(db: Db, orgId: string): Promise<string> {
  return (await orgRow(db, orgId)).plan;
}

export async function paymentMethodOf(db: Db, orgId: string) {
  const [row] = await db.select().from(paymentMethods).where(eq(paymentMethods.orgId, orgId));
  return row;
}

export function checkoutsOf(db: Db, orgId: string) {
  return db.select().from(checkouts).where(eq(checkouts.orgId, orgId)).orderBy(checkouts.createdAt);
}

export async function checkoutRow(db: Db, checkoutId: string) {
  const [row] = await db.select().from(checkouts).where(eq(checkouts.id, checkoutId));
  return row;
}

export async function processedEvent(db: Db, eventId: string) {
  const [row] = await db.select().from(processedWebhookEvents).where(eq(processedWebhookEvents.eventId, eventId));
  return row;
}

/** The org's activity entries of these types (all billing types by default), oldest first. */
export async function billingActivities(db: Db, orgId: string, types?: string[]): Promise<Activity[]> {
  const all = await activitiesOf(db, orgId);
  return all.filter((a) => (types ? types.includes(a.type) : /^(plan|billing|payment_method)\./.test(a.type)));
}

/** Rows of a raw SQL result, on PGlite ({ rows }) and postgres-js (an array) alike. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

import { randomBytes } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { expect } from "vitest";
import type { Db } from "@/db/client";
import { emails, users, type Email } from "@/db/schema";
import { signUp } from "@/lib/auth/sign-up";
import { AppError, type AppErrorCode } from "@/lib/errors";

/** A fresh address per test, so tests sharing one database never see each other's rows. */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(5).toString("hex")}@example.test`;
}

/** A fresh client IP per test, so per-IP rate limits never leak between tests. */
export function uniqueIp(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
}

/** A password that passes every rule and is not on the common list. */
export function strongPassword(): string {
  return `correct horse ${randomBytes(6).toString("hex")}`;
}

export interface SeededUser {
  id: string;
  email: string;
  password: string;
  name: string;
}

/** Signs a user up through lib/ (as the app does) and returns what a test needs to sign in. */
export async function seedUser(db: Db, overrides: Partial<Pick<SeededUser, "email" | "password" | "name">> = {}): Promise<SeededUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? strongPassword();
  const name = overrides.name ?? "Test User";
  await signUp(db, { name, email, password }, { ip: uniqueIp() });
  const [row] = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.email, email.trim().toLowerCase()));
  if (!row) throw new Error(`seedUser: no user row for ${email}`);
  return { id: row.id, email: row.email, password, name };
}

export function findUserByEmail(db: Db, email: string) {
  return db
    .select()
    .from(users)
    .where(eq(users.email, email.toLowerCase()))
    .then((rows) => rows[0]);
}

/** Every e-mail sent to `to` (newest first), optionally of one template. */
export function emailsTo(db: Db, to: string, template?: string): Promise<Email[]> {
  const where = template ? and(eq(emails.to, to), eq(emails.template, template)) : eq(emails.to, to);
  return db.select().from(emails).where(where).orderBy(desc(emails.createdAt));
}

export async function latestEmailTo(db: Db, to: string, template?: string): Promise<Email> {
  const [latest] = await emailsTo(db, to, template);
  if (!latest) throw new Error(`No e-mail${template ? ` "${template}"` : ""} to ${to}`);
  return latest;
}

/**
 * The token of the first link `APP_URL + pathPrefix + token` in an e-mail. Checks that the
 * html (the button) and the text part carry the same link.
 */
export function linkToken(email: Pick<Email, "html" | "text">, pathPrefix: string): string {
  const base = `${process.env.APP_URL ?? "http://localhost:3000"}${pathPrefix}`;
  const pattern = new RegExp(`${escapeRegExp(base)}([A-Za-z0-9_-]+)`);
  const inText = email.text.match(pattern)?.[1];
  const inHtml = email.html.match(pattern)?.[1];
  if (!inText) throw new Error(`No ${base}<token> link in the e-mail text:\n${email.text}`);
  expect(inHtml, "the html link equals the text link").toBe(inText);
  return inText;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Rate limits count in fixed windows aligned to the epoch (lib/rate-limit.ts). A test
 * that counts hits must not straddle a window boundary, or its counter restarts
 * half-way: when the next boundary is less than `marginMs` away, wait until it passes.
 * (The database and this process share the machine's clock.)
 */
export async function awayFromWindowEdge(windowSeconds: number, marginMs = 10_000): Promise<void> {
  const windowMs = windowSeconds * 1000;
  const untilNextWindow = windowMs - (Date.now() % windowMs);
  if (untilNextWindow < marginMs) await new Promise((resolve) => setTimeout(resolve, untilNextWindow + 100));
}

/** Runs `work`, expecting an AppError with `code`; returns it for further checks. */
export async function expectAppError(work: Promise<unknown>, code: AppErrorCode): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected an AppError "${code}"`).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code, appError.message).toBe(code);
  return appError;
}

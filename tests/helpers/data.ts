import { randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, gt, sql } from "drizzle-orm";
import { expect } from "vitest";
import type { Db } from "@/db/client";
import { activities, emails, memberships, users, type Activity, type Email, type Organization } from "@/db/schema";
import type { Actor } from "@/lib/actor";
import type { AnyEndpoint } from "@/lib/api/endpoint";
import { API_ENDPOINTS } from "@/lib/api/endpoints";
import { handleApi, type HandleApiOptions } from "@/lib/api/handle";
import { createApiToken } from "@/lib/api-tokens";
import { signUp } from "@/lib/auth/sign-up";
import { AppError, type AppErrorCode } from "@/lib/errors";
import { readableEmail } from "@/lib/mail";
import { addMemberWithinOrgLimit } from "@/lib/memberships";
import { createOrganization } from "@/lib/orgs";

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

/**
 * Signs a user up through lib/ (as the app does) and returns what a test needs to
 * sign in. The address is verified, as opening the e-mailed link does (creating an
 * organization and inviting need it), unless `verified: false`.
 */
export async function seedUser(
  db: Db,
  overrides: Partial<Pick<SeededUser, "email" | "password" | "name">> & { verified?: boolean } = {},
): Promise<SeededUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? strongPassword();
  const name = overrides.name ?? "Test User";
  await signUp(db, { name, email, password }, { ip: uniqueIp() });
  const [row] = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.email, email.trim().toLowerCase()));
  if (!row) throw new Error(`seedUser: no user row for ${email}`);
  if (overrides.verified !== false) await db.update(users).set({ emailVerifiedAt: sql`now()` }).where(eq(users.id, row.id));
  return { id: row.id, email: row.email, password, name };
}

export function findUserByEmail(db: Db, email: string) {
  return db
    .select()
    .from(users)
    .where(eq(users.email, email.toLowerCase()))
    .then((rows) => rows[0]);
}

/**
 * Every e-mail sent to `to` (newest first), optionally of one template, as the
 * recipient got it: tests run with the development outbox, which keeps the full
 * body sealed (the stored columns show one-time secrets as [redacted]).
 */
export async function emailsTo(db: Db, to: string, template?: string): Promise<Email[]> {
  const where = template ? and(eq(emails.to, to), eq(emails.template, template)) : eq(emails.to, to);
  const rows = await db.select().from(emails).where(where).orderBy(desc(emails.createdAt));
  return rows.map(readableEmail);
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

/** A fresh, valid organization name (a DNS label well under 39 characters). */
export function uniqueOrgName(prefix = "org"): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

/** The actor a server action would build for this user, with a recognisable IP and user agent. */
export function actorOf(user: Pick<SeededUser, "id" | "name" | "email">, extra: Partial<Actor> = {}): Actor {
  return { userId: user.id, name: user.name, email: user.email, ip: uniqueIp(), userAgent: "Mozilla/5.0 (vitest)", ...extra };
}

/** Creates an organization through lib/ with `user` as its first member. */
export function seedOrg(db: Db, user: Pick<SeededUser, "id" | "name" | "email">, name = uniqueOrgName()): Promise<Organization> {
  return createOrganization(db, actorOf(user), { name });
}

/** Adds `userId` to the org as joining does (within the user's organization limit). */
export function addMember(db: Db, userId: string, orgId: string): Promise<void> {
  return db.transaction((tx) => addMemberWithinOrgLimit(tx as unknown as Db, userId, orgId));
}

export async function membershipCount(db: Db, where: { orgId?: string; userId?: string }): Promise<number> {
  const conditions = [where.orgId ? eq(memberships.orgId, where.orgId) : undefined, where.userId ? eq(memberships.userId, where.userId) : undefined];
  const [row] = await db.select({ value: count() }).from(memberships).where(and(...conditions));
  return row?.value ?? 0;
}

/** The activity stream of one org, oldest first. */
export function activitiesOf(db: Db, orgId: string): Promise<Activity[]> {
  return db.select().from(activities).where(eq(activities.orgId, orgId)).orderBy(asc(activities.id));
}

/** How many activity entries a user has authored, in any org (to prove a failure wrote none). */
export async function activityCountBy(db: Db, userId: string): Promise<number> {
  const [row] = await db.select({ value: count() }).from(activities).where(eq(activities.actorUserId, userId));
  return row?.value ?? 0;
}

/** The secret of the newest invitation e-mailed to `to` (its `APP_URL/invitations/<token>` link). */
export async function invitationToken(db: Db, to: string): Promise<string> {
  return linkToken(await latestEmailTo(db, to.toLowerCase(), "invitation"), "/invitations/");
}

/** The highest activity id so far (0 when there is none): "entries added since" is then `id > mark`. */
export async function activityMark(db: Db): Promise<number> {
  const [row] = await db.select({ value: sql<string | null>`max(${activities.id})::text` }).from(activities);
  return Number(row?.value ?? 0);
}

/** Every activity entry, of any org, added after `mark` (see activityMark), oldest first. */
export function activitiesAfter(db: Db, mark: number): Promise<Activity[]> {
  return db.select().from(activities).where(gt(activities.id, mark)).orderBy(asc(activities.id));
}

/** Every chunk an async generator yields (the CSV export, batch by batch). */
export async function collectChunks(chunks: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

/** RFC 4180 CSV: records end with CRLF; quoted fields may hold commas, newlines and "" for a quote. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') {
      if (field !== "") throw new Error(`parseCsv: a quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else if (char === "\n" || char === "\r") {
      throw new Error(`parseCsv: a bare line break outside quotes at ${i}`);
    } else field += char;
  }
  if (quoted) throw new Error("parseCsv: unterminated quoted field");
  if (field !== "" || record.length) throw new Error("parseCsv: the last record does not end with CRLF");
  return records;
}

// ---------------------------------------------------------------------------
// REST API (/api/v1): tokens and calls through the real wrapper.

/** Creates an API token for `user` in `org` through lib/ (as the settings page does); the plaintext is returned once. */
export function seedApiToken(db: Db, user: Pick<SeededUser, "id" | "name" | "email">, org: Pick<Organization, "name">, name = "ci-deploy") {
  return createApiToken(db, actorOf(user), { orgName: org.name, name, expiresIn: "90d" });
}

export interface ApiCall {
  /** `Bearer <token>` is sent when set; `authorization` overrides the header as a whole. */
  token?: string;
  authorization?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (a string, bytes or a stream). */
  body?: BodyInit;
  headers?: Record<string, string>;
  options?: HandleApiOptions;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  text: string;
  // Response bodies are read field by field in tests.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** The endpoint a method and a path under /api/v1 lead to, with its `{id}`, as the route files map them. */
export function findApiEndpoint(method: string, path: string): { endpoint: AnyEndpoint; params: Record<string, string> } {
  for (const endpoint of API_ENDPOINTS) {
    if (endpoint.method !== method) continue;
    const pattern = new RegExp(`^${endpoint.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`);
    const match = pattern.exec(path.split("?")[0]!);
    if (match) return { endpoint, params: Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)])) };
  }
  throw new Error(`No API endpoint for ${method} ${path}`);
}

/** A real `Request` to http://localhost:3000/api/v1<path>. */
export function apiRequest(method: string, path: string, call: ApiCall = {}): Request {
  const headers = new Headers({ "user-agent": "api-tests/1.0", "x-forwarded-for": uniqueIp(), ...call.headers });
  if (call.authorization !== undefined) headers.set("authorization", call.authorization);
  else if (call.token) headers.set("authorization", `Bearer ${call.token}`);
  let body = call.body;
  if (call.json !== undefined) {
    body = JSON.stringify(call.json);
    headers.set("content-type", "application/json");
  }
  const init: RequestInit & { duplex?: "half" } = { method, headers, body };
  if (body instanceof ReadableStream) init.duplex = "half";
  return new Request(`http://localhost:3000/api/v1${path}`, init);
}

/** Calls the endpoint at `method path` through handleApi, as the route file would, and reads the answer. */
export async function callApi(db: Db, method: string, path: string, call: ApiCall = {}): Promise<ApiAnswer> {
  const { endpoint, params } = findApiEndpoint(method, path);
  const response = await handleApi(db, apiRequest(method, path, call), endpoint, params, call.options);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined };
}

import { and, eq, inArray } from "drizzle-orm";

import type { Db } from "@/db/client";
import { JOB_SCHEMA } from "@/db/job-queue";
import { emails, invitations, organizations } from "@/db/schema";

import { seedApiToken } from "../helpers/api";
import type { FakeResend } from "../helpers/fake-resend";
import { seedOrg, seedUser, uniqueEmail, type SeededUser } from "../helpers/seed";
import { callAction, eventually, type Stack } from "./harness";

/** An owner with an org and an API token for it, seeded through lib/ straight into the database. */
export async function seedOwner(db: Db, options: { maxMembers?: number } = {}) {
  const owner = await seedUser(db, { email: uniqueEmail("owner") });
  const org = await seedOrg(db, owner);
  if (options.maxMembers !== undefined)
    await db.update(organizations).set({ maxMembers: options.maxMembers }).where(eq(organizations.id, org.id));
  const { token } = await seedApiToken(db, owner, org);
  return { owner, org, token };
}

/** Signs `user` in through the sign-in form's server action on `baseUrl`; returns the session cookie. */
export async function signIn(baseUrl: string, user: Pick<SeededUser, "email" | "password">): Promise<string> {
  const answer = await callAction(baseUrl, "/sign-in", "signInAction", { email: user.email, password: user.password });
  if (!answer.cookie?.includes("session-token"))
    throw new Error(`sign-in on ${baseUrl} set no session: ${answer.status} ${JSON.stringify(answer.state)}`);
  return answer.cookie;
}

/** The addresses in one request to the fake Resend. */
export function recipients(request: { body: Record<string, unknown> }): string[] {
  const to = request.body.to;
  return (Array.isArray(to) ? to : [to]).map(String);
}

/** How many times each of `addresses` was delivered (accepted once per idempotency key). */
export function deliveriesTo(fake: FakeResend, addresses: string[]): Map<string, number> {
  const counts = new Map(addresses.map((a) => [a, 0]));
  for (const request of fake.delivered) for (const to of recipients(request)) if (counts.has(to)) counts.set(to, counts.get(to)! + 1);
  return counts;
}

/** Waits until every address was delivered, then checks each exactly once. */
export async function expectDeliveredOnce(stack: Stack, addresses: string[], timeoutMs = 90_000): Promise<void> {
  await eventually(
    `${addresses.length} e-mails to be delivered`,
    async () => [...deliveriesTo(stack.fake, addresses).values()].every((n) => n >= 1),
    timeoutMs,
    500,
  ).catch((error: Error) => {
    const missing = [...deliveriesTo(stack.fake, addresses)].filter(([, n]) => n === 0).map(([a]) => a);
    error.message += `\nnot delivered: ${missing.join(", ")}\n${stack.logs()}`;
    throw error;
  });
  const counts = deliveriesTo(stack.fake, addresses);
  const wrong = [...counts].filter(([, n]) => n !== 1);
  if (wrong.length > 0) throw new Error(`delivered more than once: ${JSON.stringify(wrong)}`);
}

/** Every `mail.deliver` job's e-mail id, whatever its state (pg-boss moves finished jobs to the archive). */
export async function mailJobEmailIds(stack: Stack): Promise<string[]> {
  const rows = await stack.sql.unsafe<{ email_id: string }[]>(
    `SELECT data->>'emailId' AS email_id FROM ${JOB_SCHEMA}.job WHERE name = 'mail.deliver'
     UNION ALL SELECT data->>'emailId' FROM ${JOB_SCHEMA}.archive WHERE name = 'mail.deliver'`,
  );
  return rows.map((r) => r.email_id);
}

/**
 * The outbox invariant for an org's invitations: every invitation row has its
 * invitation e-mail and that e-mail has its job, and every invitation e-mail to one
 * of `addresses` has its invitation (both or neither). Returns the invited addresses.
 */
export async function checkInvitationsAndEmails(stack: Stack, orgId: string, addresses: string[]) {
  const db = stack.database.db;
  const invited = await db.select({ email: invitations.email }).from(invitations).where(eq(invitations.orgId, orgId));
  const mails = addresses.length
    ? await db
        .select({ id: emails.id, to: emails.to })
        .from(emails)
        .where(and(eq(emails.template, "invitation"), inArray(emails.to, addresses)))
    : [];
  const jobs = new Set(await mailJobEmailIds(stack));
  const invitedSet = new Set(invited.map((i) => i.email));
  const mailed = new Set(mails.map((m) => m.to));
  return {
    invited: [...invitedSet],
    invitationsWithoutEmail: [...invitedSet].filter((a) => !mailed.has(a)),
    emailsWithoutInvitation: [...mailed].filter((a) => !invitedSet.has(a)),
    emailsWithoutJob: mails.filter((m) => !jobs.has(m.id)).map((m) => m.to),
    duplicateEmails: mails.length - mailed.size,
  };
}

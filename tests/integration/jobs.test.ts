import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { authTokens, emails, invitations, rateLimits } from "@/db/schema";
import { stripeProvider } from "@/lib/billing/stripe";
import { hitRateLimit } from "@/lib/core/rate-limit";
import { inviteMembers } from "@/lib/invitations/invite";
import { countJobs, discardJob, listDeadJobs } from "@/lib/jobs/admin";
import { purgeExpired, reconcileProviderCustomers, trimRateLimits } from "@/lib/jobs/maintenance";
import { startJobWorkers } from "@/lib/jobs/worker";
import { findEmail } from "@/lib/mail/send";

import { setupTestDatabase } from "../helpers/db";
import { startFakeStripe, type FakeStripe } from "../helpers/fake-stripe";
import { jobsIn, runJobs } from "../helpers/jobs";
import { emailsTo } from "../helpers/mail";
import { actorOf, seedOrg, seedUser, uniqueEmail } from "../helpers/seed";

const t = setupTestDatabase();
let fake: FakeStripe;

beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(async () => {
  await fake?.close();
});

describe("the transactional outbox", () => {
  it("an invitation and its e-mail job are written together: one job per e-mail, none for refused addresses", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    const invited = [uniqueEmail("a"), uniqueEmail("b")];
    await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: [...invited, "not-an-address", owner.email].join(",") });
    const queued = await jobsIn(t.db, "mail.deliver", "created");
    for (const address of invited) {
      const [mail] = await emailsTo(t.db, address, "invitation");
      expect(mail).toMatchObject({ status: "queued", attempts: 0 });
      expect(queued.filter((job) => job.data.emailId === mail!.id)).toHaveLength(1);
    }
    expect(await emailsTo(t.db, owner.email, "invitation")).toEqual([]);

    await runJobs(t.db);
    for (const address of invited) expect((await emailsTo(t.db, address, "invitation"))[0]).toMatchObject({ status: "sent", attempts: 1 });
    expect(await jobsIn(t.db, "mail.deliver", "created")).toEqual([]);
  });

  it("a refused change queues nothing", async () => {
    const owner = await seedUser(t.db);
    const stranger = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    const before = (await jobsIn(t.db, "mail.deliver")).length;
    await expect(inviteMembers(t.db, actorOf(stranger), { org: { name: org.name }, emails: uniqueEmail("x") })).rejects.toThrow();
    expect((await jobsIn(t.db, "mail.deliver")).length).toBe(before);
  });
});

describe("workers", () => {
  it("a running worker delivers a committed e-mail without anyone calling it, and stops cleanly", async () => {
    const workers = await startJobWorkers(t.database);
    try {
      const owner = await seedUser(t.db);
      const org = await seedOrg(t.db, owner);
      const address = uniqueEmail("worker");
      await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: address });
      const [queued] = await emailsTo(t.db, address, "invitation");
      const deadline = Date.now() + 15_000;
      while ((await findEmail(t.db, queued!.id))?.status !== "sent" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(await findEmail(t.db, queued!.id)).toMatchObject({ status: "sent", attempts: 1 });
    } finally {
      await workers.stop({ timeoutMs: 5_000 });
    }
    expect(workers.running()).toBe(false);
  });
});

describe("periodic jobs", () => {
  it("purges one-time links a day after expiry and invitations 30 days after, and keeps the rest", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    const [old, fresh] = await t.db
      .insert(authTokens)
      .values([
        { userId: owner.id, purpose: "reset_password", tokenHash: `old-${owner.id}`, expiresAt: sql`now() - interval '2 days'` },
        { userId: owner.id, purpose: "reset_password", tokenHash: `fresh-${owner.id}`, expiresAt: sql`now() - interval '1 hour'` },
      ])
      .returning();
    const base = { orgId: org.id, invitedBy: owner.id, invitedByName: owner.name, tokenHash: "", role: "member" as const };
    const [stale, recent] = await t.db
      .insert(invitations)
      .values([
        { ...base, email: uniqueEmail("stale"), tokenHash: `stale-${org.id}`, expiresAt: sql`now() - interval '31 days'` },
        { ...base, email: uniqueEmail("recent"), tokenHash: `recent-${org.id}`, expiresAt: sql`now() - interval '29 days'` },
      ])
      .returning();

    const purged = await purgeExpired(t.db);
    expect(purged.links).toBeGreaterThanOrEqual(1);
    expect(purged.invitations).toBeGreaterThanOrEqual(1);
    const linkIds = (await t.db.select({ id: authTokens.id }).from(authTokens)).map((r) => r.id);
    expect(linkIds).not.toContain(old!.id);
    expect(linkIds).toContain(fresh!.id);
    const invitationIds = (await t.db.select({ id: invitations.id }).from(invitations)).map((r) => r.id);
    expect(invitationIds).not.toContain(stale!.id);
    expect(invitationIds).toContain(recent!.id);
  });

  it("trims rate-limit windows that ended days ago, and keeps current ones", async () => {
    const key = `trim-test:${uniqueEmail()}`;
    await t.db.insert(rateLimits).values({ key, windowStart: sql`now() - interval '3 days'`, count: 9 });
    await hitRateLimit(t.db, key, 10, 3600);
    expect(await trimRateLimits(t.db)).toBeGreaterThanOrEqual(1);
    const left = await t.db.select().from(rateLimits).where(eq(rateLimits.key, key));
    expect(left).toHaveLength(1);
    expect(left[0]!.count).toBe(1);
  });

  it("deletes the Stripe customers of orgs that no longer exist, through the deletion job", async () => {
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    const provider = stripeProvider({ secretKey: "sk_test_fake", apiUrl: fake.url });
    const stripe = (await import("@/lib/billing/stripe")).stripeClient({ secretKey: "sk_test_fake", apiUrl: fake.url });
    const kept = await stripe.customers.create({ metadata: { org_id: org.id } });
    const orphan = await stripe.customers.create({ metadata: { org_id: "00000000-0000-4000-8000-000000000001" } });
    const foreign = await stripe.customers.create({});

    expect(await reconcileProviderCustomers(t.db, provider)).toBe(1);
    await runJobs(t.db, { provider });
    expect([...fake.customers.keys()]).toEqual(expect.arrayContaining([kept.id, foreign.id]));
    expect(fake.customers.has(orphan.id)).toBe(false);
    // Run again: nothing left to do; a deletion retried after it went through counts as done.
    expect(await reconcileProviderCustomers(t.db, provider)).toBe(0);
    await expect(provider.deleteCustomer(orphan.id)).resolves.toBeUndefined();
  });
});

describe("dead jobs", () => {
  it("lists a job that ran out of attempts with its last error, and discards it", async () => {
    const [row] = await t.db
      .insert(emails)
      .values({ template: "t", to: uniqueEmail("dead"), subject: "s", html: "h", text: "t", transport: "outbox" })
      .returning();
    await t.db.transaction(async (tx) => {
      const { enqueue } = await import("@/lib/jobs/queue");
      await enqueue(tx as never, "stripe.customer-delete", { customerId: "cus_unknown_but_failing" });
      await enqueue(tx as never, "mail.deliver", { emailId: row!.id });
    });
    await t.db.execute(sql`UPDATE pgboss.job SET retry_limit = 0 WHERE name = 'stripe.customer-delete' AND state = 'created'`);
    fake.failing = true;
    try {
      await runJobs(t.db, { provider: stripeProvider({ secretKey: "sk_test_fake", apiUrl: fake.url }) });
    } finally {
      fake.failing = false;
    }
    const dead = await listDeadJobs(t.db);
    const job = dead.find(
      (j) => j.queue === "stripe.customer-delete" && (j.data as { customerId: string }).customerId === "cus_unknown_but_failing",
    );
    expect(job).toBeDefined();
    expect(job!.error).toMatch(/Fake outage|500/);
    expect((await countJobs(t.db)).find((c) => c.queue === "stripe.customer-delete")!.failed).toBeGreaterThanOrEqual(1);
    expect(await discardJob(t.db, job!.id)).toBe(true);
    expect((await listDeadJobs(t.db)).map((j) => j.id)).not.toContain(job!.id);
    expect(await findEmail(t.db, row!.id)).toMatchObject({ status: "sent" });
  });
});

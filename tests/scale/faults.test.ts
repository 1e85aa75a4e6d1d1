import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { JOB_SCHEMA } from "@/db/job-queue";
import { emails, invitations } from "@/db/schema";

import { uniqueEmail } from "../helpers/seed";
import { eventually, request, sleep, startStack, type Answer, type Stack } from "./harness";
import { checkInvitationsAndEmails, deliveriesTo, expectDeliveredOnce, recipients, seedOwner } from "./helpers";

/*
 * Faults on the real stack (two app instances, one worker, PgBouncer, PostgreSQL):
 * the mail provider failing, processes killed with SIGKILL, PostgreSQL restarted.
 * What must hold each time: a committed invitation has its e-mail and its job
 * (both or neither), and every committed e-mail is delivered exactly once, by the
 * workers on their own (retries, expiry of jobs held by a dead worker), with no
 * one draining or retrying anything by hand.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => {
  stack.fake.respondWith(200);
});

const app = (i: number) => stack.apps[i % stack.apps.length]!;

/** POSTs to the fake Resend for each address so far (attempts, whatever the answer). */
function attemptsTo(addresses: string[]): Map<string, number> {
  const counts = new Map(addresses.map((a) => [a, 0]));
  for (const r of stack.fake.requests) {
    if (r.method !== "POST" || r.path !== "/emails") continue;
    for (const to of recipients(r)) if (counts.has(to)) counts.set(to, counts.get(to)! + 1);
  }
  return counts;
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);

/** Invites each address in its own request, spread over both instances, all at once; every one must be invited. */
async function inviteAll(token: string, addresses: string[]) {
  const answers = await Promise.all(
    addresses.map((email, i) => request(app(i).url, "POST", "/api/v1/invitations", { token, json: { emails: [email] } })),
  );
  for (const answer of answers) {
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.data[0].status).toBe("invited");
  }
}

async function emailStatuses(addresses: string[]) {
  const rows = await stack.database.db.select({ to: emails.to, status: emails.status }).from(emails).where(inArray(emails.to, addresses));
  return rows;
}

async function jobsByState(): Promise<Record<string, number>> {
  const rows = await stack.sql.unsafe<{ state: string; n: number }[]>(
    `SELECT state::text AS state, count(*)::int AS n FROM ${JOB_SCHEMA}.job WHERE name = 'mail.deliver' GROUP BY state`,
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

describe("mail provider outage", () => {
  it("30 invitations sent while Resend answers 500, then times out, all arrive exactly once after it recovers", async () => {
    const { token } = await seedOwner(stack.database.db, { maxMembers: 1000 });
    const addresses = Array.from({ length: 30 }, (_, i) => uniqueEmail(`outage${i}`));

    stack.fake.respondWith(500);
    await inviteAll(token, addresses);
    // Every e-mail is tried and refused at least twice (a first attempt and a retry).
    await eventually("two refused attempts per e-mail", async () => [...attemptsTo(addresses).values()].every((n) => n >= 2), 90_000, 250);

    stack.fake.respondWith("hang");
    const before = total(attemptsTo(addresses));
    // Then the provider stops answering: attempts time out (MAIL_SEND_TIMEOUT_SECONDS) and are retried too.
    await eventually("20 attempts that time out", async () => total(attemptsTo(addresses)) >= before + 20, 90_000, 250);
    expect(deliveriesTo(stack.fake, addresses).size).toBe(30);
    expect([...deliveriesTo(stack.fake, addresses).values()].every((n) => n === 0)).toBe(true);
    // Still waiting for their next attempt, none dead.
    for (const row of await emailStatuses(addresses)) expect(row.status).toBe("queued");

    stack.fake.respondWith(200);
    await expectDeliveredOnce(stack, addresses, 150_000);
    await eventually(
      "every e-mail row to say sent",
      async () => (await emailStatuses(addresses)).every((r) => r.status === "sent"),
      30_000,
    );
  });

  it("a response lost after Resend accepted the e-mail: the retry reuses the idempotency key, so none is sent twice", async () => {
    const { token } = await seedOwner(stack.database.db, { maxMembers: 1000 });
    const addresses = Array.from({ length: 10 }, (_, i) => uniqueEmail(`dropped${i}`));

    stack.fake.respondWith("accept-then-drop");
    await inviteAll(token, addresses);
    // Each e-mail is accepted, its answer lost, and tried again at least once.
    await eventually("each e-mail tried twice", async () => [...attemptsTo(addresses).values()].every((n) => n >= 2), 90_000, 250);
    stack.fake.respondWith(200);
    await eventually(
      "every e-mail row to say sent",
      async () => (await emailStatuses(addresses)).every((r) => r.status === "sent"),
      120_000,
    );

    // Every attempt for one address carried the same key: the e-mail's id.
    const rows = await stack.database.db.select({ id: emails.id, to: emails.to }).from(emails).where(inArray(emails.to, addresses));
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      const keys = new Set(
        stack.fake.requests.filter((r) => recipients(r).includes(row.to)).map((r) => r.headers["idempotency-key"] as string | undefined),
      );
      expect([...keys]).toEqual([`email/${row.id}`]);
    }
    await expectDeliveredOnce(stack, addresses);
  });
});

describe("crashes", () => {
  it("kill -9 of the worker while it holds jobs: another worker finishes them, each delivered exactly once", async () => {
    const { token } = await seedOwner(stack.database.db, { maxMembers: 1000 });
    const addresses = Array.from({ length: 12 }, (_, i) => uniqueEmail(`held${i}`));

    stack.fake.respondWith("hang");
    await inviteAll(token, addresses);
    // The worker holds jobs (active) whose provider call has not answered.
    await eventually("the worker to hold jobs", async () => (await jobsByState()).active! >= 2, 60_000, 50);
    for (const worker of stack.workers) await worker.kill9();
    const held = await jobsByState();
    expect(held.active).toBeGreaterThanOrEqual(1);

    stack.fake.respondWith(200);
    // Nobody works for a while: nothing is delivered while no worker runs.
    await sleep(1500);
    expect([...deliveriesTo(stack.fake, addresses).values()].every((n) => n === 0)).toBe(true);

    // A new worker takes over the held jobs once they expire (JOB_EXPIRE_SECONDS), and the rest.
    await stack.startWorker();
    await expectDeliveredOnce(stack, addresses, 120_000);
    await eventually(
      "every e-mail row to say sent",
      async () => (await emailStatuses(addresses)).every((r) => r.status === "sent"),
      30_000,
    );
  });

  it("kill -9 of an app instance in the middle of invitation requests: each invitation and its e-mail exist both or neither", async () => {
    const { org, token } = await seedOwner(stack.database.db, { maxMembers: 1000 });
    const addresses = Array.from({ length: 60 }, (_, i) => uniqueEmail(`crash${i}`));
    const victim = stack.apps[0]!;

    let answered = 0;
    const inFlight = addresses.map((email) =>
      request(victim.url, "POST", "/api/v1/invitations", { token, json: { emails: [email] } }).then((answer) => {
        answered++;
        return answer;
      }),
    );
    await eventually("a few answers before the crash", async () => answered >= 3, 60_000, 5);
    await victim.proc.kill9();
    const answers = await Promise.all(inFlight);

    // The crash cut some requests off (no answer at all), after others had succeeded.
    const cut = answers.filter((a) => a.status === 0).length;
    expect(cut, "requests cut off by the crash").toBeGreaterThan(0);
    const invitedByAnswer = addresses.filter((_, i) => answers[i]!.status === 200);
    for (const i of answers.keys()) if (answers[i]!.status !== 0) expect(answers[i]!.status, answers[i]!.text).toBe(200);

    const state = await checkInvitationsAndEmails(stack, org.id, addresses);
    expect(state.invitationsWithoutEmail).toEqual([]);
    expect(state.emailsWithoutInvitation).toEqual([]);
    expect(state.emailsWithoutJob).toEqual([]);
    expect(state.duplicateEmails).toBe(0);
    // Every answered invitation committed; some cut-off ones may have committed too (then they are complete as well).
    for (const email of invitedByAnswer) expect(state.invited).toContain(email);

    // The instance comes back on its port and serves again; every committed invitation's e-mail arrives once.
    await stack.restartApp(0);
    const again = await request(stack.apps[0]!.url, "POST", "/api/v1/invitations", {
      token,
      json: { emails: [uniqueEmail("after-crash")] },
    });
    expect(again.body?.data?.[0]?.status, again.text).toBe("invited");
    await expectDeliveredOnce(stack, state.invited, 120_000);
  });
});

describe("database restart", () => {
  it("restarting PostgreSQL under load: in-flight requests fail with a JSON 5xx, everything recovers by itself, no half-written state, no lost e-mail", async () => {
    const { org, token } = await seedOwner(stack.database.db, { maxMembers: 100_000 });
    const [startedBefore] = await stack.sql<{ t: Date }[]>`SELECT pg_postmaster_start_time() AS t`;
    const results: { email: string; answer: Answer; at: number }[] = [];
    let stop = false;
    let restartedAt = Number.POSITIVE_INFINITY;

    // 6 clients inviting one address at a time, in turn on A and B, until told to stop.
    const clients = Array.from({ length: 6 }, async (_, c) => {
      for (let n = 0; !stop; n++) {
        const email = uniqueEmail(`load${c}-${n}`);
        const answer = await request(app(c + n).url, "POST", "/api/v1/invitations", {
          token,
          json: { emails: [email] },
          timeoutMs: 60_000,
        });
        results.push({ email, answer, at: Date.now() });
      }
    });

    await eventually("some invitations before the restart", async () => results.length >= 12, 60_000, 20);
    await stack.pg.restart();
    restartedAt = Date.now();
    // The load goes on until 20 invitations succeeded after the restart: the apps reconnect by themselves.
    await eventually(
      "20 successes after the restart",
      async () => results.filter((r) => r.at > restartedAt && r.answer.status === 200).length >= 20,
      120_000,
      100,
    ).catch((error: Error) => {
      error.message += `\n${stack.logs()}`;
      throw error;
    });
    stop = true;
    await Promise.all(clients);

    const [startedAfter] = await stack.sql<{ t: Date }[]>`SELECT pg_postmaster_start_time() AS t`;
    expect(startedAfter!.t.getTime()).toBeGreaterThan(startedBefore!.t.getTime());

    // Every answer is a success or a clear error: a 5xx with the API's JSON error, never a hang or a cut connection.
    const failures = results.filter((r) => r.answer.status !== 200);
    for (const { answer } of failures) {
      expect(answer.status, answer.text).toBeGreaterThanOrEqual(500);
      expect(answer.body?.error?.code, answer.text).toEqual(expect.any(String));
      expect(answer.body?.error?.message, answer.text).toEqual(expect.any(String));
    }
    for (const { answer } of results.filter((r) => r.answer.status === 200)) expect(answer.body.data[0].status).toBe("invited");
    console.info(
      `database restart: ${results.length} requests, ${failures.length} failed with ${JSON.stringify([...new Set(failures.map((f) => f.answer.status))])}`,
    );

    // Both instances and the worker answer and are ready again without being restarted.
    for (const proc of [...stack.apps.map((a) => a.proc), stack.workers.at(-1)!]) expect(proc.alive, proc.tail()).toBe(true);
    for (const instance of stack.apps) {
      const ready = await request(instance.url, "GET", "/api/ready");
      expect(ready.status, ready.text).toBe(200);
    }

    // No half-written state: each invitation has its e-mail and job, each e-mail its invitation.
    const addresses = results.map((r) => r.email);
    const state = await checkInvitationsAndEmails(stack, org.id, addresses);
    expect(state.invitationsWithoutEmail).toEqual([]);
    expect(state.emailsWithoutInvitation).toEqual([]);
    expect(state.emailsWithoutJob).toEqual([]);
    expect(state.duplicateEmails).toBe(0);
    for (const { email } of results.filter((r) => r.answer.status === 200)) expect(state.invited).toContain(email);
    const rows = await stack.database.db.select({ email: invitations.email }).from(invitations).where(eq(invitations.orgId, org.id));
    expect(rows).toHaveLength(state.invited.length);

    // No lost job: the worker (never restarted) delivers every committed invitation exactly once.
    await expectDeliveredOnce(stack, state.invited, 150_000);
  });
});

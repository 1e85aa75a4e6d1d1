import { createElement } from "react";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import type { Db } from "@/db/client";
import VerifyEmail, { verifyEmailSubject } from "@/emails/verify-email";
import { signUp } from "@/lib/auth/sign-up";
import { env, mailTransport } from "@/lib/core/env";
import { appUrl } from "@/lib/core/urls";
import { retryDeadJob } from "@/lib/jobs/admin";
import { findEmail, queueEmail, type MailMessage } from "@/lib/mail/send";

import { setupTestDatabase } from "../helpers/db";
import { startFakeResend, type FakeResend } from "../helpers/fake-resend";
import { jobsIn, makeRetriesDue, runJobs } from "../helpers/jobs";
import { latestEmailTo, linkToken } from "../helpers/mail";
import { strongPassword, uniqueEmail, uniqueIp } from "../helpers/seed";

/*
 * The real Resend SDK against a local fake API, through the job queue. lib/core/env.ts
 * parses the environment once per module graph, and vitest gives every test file its
 * own, so this file sets its variables before anything here reads env(); the first
 * test checks that the Resend transport is indeed the one in use.
 */
const API_KEY = "re_test_0123456789";
const RETRY_LIMIT = 3;
const t = setupTestDatabase();
let fake: FakeResend;

beforeAll(async () => {
  fake = await startFakeResend();
  vi.stubEnv("RESEND_API_KEY", API_KEY);
  vi.stubEnv("RESEND_BASE_URL", fake.url);
  vi.stubEnv("JOB_RETRY_LIMIT", String(RETRY_LIMIT));
  vi.stubEnv("MAIL_SEND_TIMEOUT_SECONDS", "0.5");
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await fake?.close();
});

beforeEach(() => {
  fake.respondWith(200);
  fake.requests.length = 0;
  fake.delivered.length = 0;
});

function verificationMessage(to: string, name = "Ada") {
  const verifyUrl = appUrl(`/verify-email/test-token-${Date.now()}`);
  return {
    verifyUrl,
    message: { template: "verify-email", to, subject: verifyEmailSubject(), react: createElement(VerifyEmail, { name, verifyUrl }) },
  };
}

function queue(message: MailMessage) {
  return t.db.transaction((tx) => queueEmail(tx as unknown as Db, message));
}

describe("e-mail through Resend, via the job queue", () => {
  it("queues in the transaction, then a worker posts it to the Resend API and records it as sent", async () => {
    expect(mailTransport()).toBe("resend");
    expect(env().RESEND_BASE_URL).toBe(fake.url);

    const to = uniqueEmail("resend");
    const { verifyUrl, message } = verificationMessage(to);
    const queued = await queue(message);
    expect(queued).toMatchObject({ status: "queued", attempts: 0 });
    expect(fake.requests).toHaveLength(0);

    await runJobs(t.db);

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe("/emails");
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request!.headers["idempotency-key"]).toBe(`email/${queued.id}`);
    const body = request!.body;
    expect([body.to].flat()).toEqual([to]);
    expect(body.subject).toBe(verifyEmailSubject());
    expect(body.from).toBe(env().MAIL_FROM);
    expect(body.html).toEqual(expect.stringContaining(`href="${verifyUrl}"`));
    expect(body.text).toEqual(expect.stringContaining(verifyUrl));

    const row = await findEmail(t.db, queued.id);
    expect(row).toMatchObject({ status: "sent", transport: "resend", attempts: 1, error: null });
    expect(row!.providerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(row!.sentAt).toBeInstanceOf(Date);
  });

  it("a rolled-back transaction queues nothing and sends nothing", async () => {
    const to = uniqueEmail("rollback");
    await expect(
      t.db.transaction(async (tx) => {
        await queueEmail(tx as unknown as Db, verificationMessage(to).message);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    await runJobs(t.db);
    await expect(latestEmailTo(t.db, to)).rejects.toThrow(/No e-mail/);
    expect(fake.requests).toHaveLength(0);
  });

  it("sends sign-up's verification e-mail with a working APP_URL link", async () => {
    const email = uniqueEmail("signup-resend");
    await signUp(t.db, { name: "Resend User", email, password: strongPassword() }, { ip: uniqueIp() });
    await runJobs(t.db);

    expect(fake.requests).toHaveLength(1);
    const body = fake.requests[0]!.body;
    expect([body.to].flat()).toEqual([email]);
    const token = linkToken({ html: String(body.html), text: String(body.text) }, "/verify-email/");
    // Once delivered, the stored copy keeps the link without its secret, and nothing sealed.
    const stored = await latestEmailTo(t.db, email, "verify-email");
    expect(stored.sealedBody).toBeNull();
    expect(stored.text).toContain("/verify-email/[redacted]");
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it("escapes HTML from a user's name in the e-mail", async () => {
    await queue(verificationMessage(uniqueEmail("xss"), `<img src=x onerror="alert(1)">`).message);
    await runJobs(t.db);
    const html = String(fake.requests[0]!.body.html);
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x");
  });

  it("retries through an outage without anyone acting, and sends once when the provider is back", async () => {
    const queued = await queue(verificationMessage(uniqueEmail("outage")).message);
    fake.respondWith(500);
    await runJobs(t.db);
    expect(await findEmail(t.db, queued.id)).toMatchObject({ status: "queued", attempts: 1, providerId: null, sentAt: null });
    expect((await findEmail(t.db, queued.id))!.error).toMatch(/Fake outage/);

    // A timeout counts as a failure too.
    fake.respondWith("hang");
    expect(await makeRetriesDue(t.db)).toBe(1);
    await runJobs(t.db);
    expect(await findEmail(t.db, queued.id)).toMatchObject({ status: "queued", attempts: 2 });

    fake.respondWith(200);
    await makeRetriesDue(t.db);
    await runJobs(t.db);
    expect(await findEmail(t.db, queued.id)).toMatchObject({ status: "sent", attempts: 3, error: null });
    expect(fake.delivered).toHaveLength(1);
    // Nothing is left to retry, and running the queue again sends nothing.
    expect(await makeRetriesDue(t.db)).toBe(0);
    await runJobs(t.db);
    expect(fake.delivered).toHaveLength(1);
  });

  it("never sends twice when the provider accepted the e-mail but its answer was lost", async () => {
    const queued = await queue(verificationMessage(uniqueEmail("lost-answer")).message);
    fake.respondWith("accept-then-drop");
    await runJobs(t.db);
    expect(fake.delivered).toHaveLength(1);
    expect(await findEmail(t.db, queued.id)).toMatchObject({ status: "queued", attempts: 1 });

    fake.respondWith(200);
    await makeRetriesDue(t.db);
    await runJobs(t.db);
    // The retry carried the same idempotency key: Resend answered with the first send's id.
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.headers["idempotency-key"]).toBe(fake.requests[0]!.headers["idempotency-key"]);
    expect(fake.delivered).toHaveLength(1);
    expect(await findEmail(t.db, queued.id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("is dead (failed) only after its last attempt, and an operator's retry sends it", async () => {
    const queued = await queue(verificationMessage(uniqueEmail("dead")).message);
    fake.respondWith(500);
    await runJobs(t.db);
    for (let retry = 1; retry <= RETRY_LIMIT; retry++) {
      expect(await findEmail(t.db, queued.id)).toMatchObject({ status: "queued", attempts: retry });
      expect(await makeRetriesDue(t.db)).toBe(1);
      await runJobs(t.db);
    }
    expect(await findEmail(t.db, queued.id)).toMatchObject({ status: "failed", attempts: RETRY_LIMIT + 1 });
    const [dead] = await jobsIn(t.db, "mail.deliver", "failed");
    expect(dead?.data).toEqual({ emailId: queued.id });
    expect(await makeRetriesDue(t.db)).toBe(0);

    fake.respondWith(200);
    expect(await retryDeadJob(t.db, dead!.id)).toBe(true);
    expect(await findEmail(t.db, queued.id)).toMatchObject({ status: "queued" });
    await runJobs(t.db);
    expect(await findEmail(t.db, queued.id)).toMatchObject({ status: "sent", attempts: RETRY_LIMIT + 2 });
    expect(fake.delivered).toHaveLength(1);
  });
});

import { createElement } from "react";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import VerifyEmail, { verifyEmailSubject } from "@/emails/verify-email";
import { signUp } from "@/lib/auth/sign-up";
import { env, mailTransport } from "@/lib/core/env";
import { appUrl } from "@/lib/core/urls";
import { findEmail, retryEmail, sendEmail } from "@/lib/mail/send";

import { setupTestDatabase } from "../helpers/db";
import { startFakeResend, type FakeResend } from "../helpers/fake-resend";
import { latestEmailTo, linkToken } from "../helpers/mail";
import { strongPassword, uniqueEmail, uniqueIp } from "../helpers/seed";

/*
 * The real Resend SDK against a local fake API. lib/core/env.ts parses the environment
 * once per module graph, and vitest gives every test file its own, so this file
 * sets RESEND_API_KEY and RESEND_BASE_URL before anything here reads env(); the
 * first test checks that the Resend transport is indeed the one in use.
 */
const API_KEY = "re_test_0123456789";
const t = setupTestDatabase();
let fake: FakeResend;

beforeAll(async () => {
  fake = await startFakeResend();
  vi.stubEnv("RESEND_API_KEY", API_KEY);
  vi.stubEnv("RESEND_BASE_URL", fake.url);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await fake?.close();
});

beforeEach(() => {
  fake.respondWith(200);
  fake.requests.length = 0;
});

function verificationMessage(to: string, name = "Ada") {
  const verifyUrl = appUrl(`/verify-email/test-token-${Date.now()}`);
  return {
    verifyUrl,
    message: { template: "verify-email", to, subject: verifyEmailSubject(), react: createElement(VerifyEmail, { name, verifyUrl }) },
  };
}

describe("sendEmail through Resend", () => {
  it("posts the e-mail to the Resend API and records it as sent", async () => {
    expect(mailTransport()).toBe("resend");
    expect(env().RESEND_BASE_URL).toBe(fake.url);

    const to = uniqueEmail("resend");
    const { verifyUrl, message } = verificationMessage(to);
    expect(verifyUrl.startsWith("http://localhost:3000/verify-email/")).toBe(true);

    const row = await sendEmail(t.db, message);

    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe("/emails");
    expect(request!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const body = request!.body;
    expect([body.to].flat()).toEqual([to]);
    expect(body.subject).toBe(verifyEmailSubject());
    expect(body.from).toBe(env().MAIL_FROM);
    expect(body.html).toEqual(expect.stringContaining(`href="${verifyUrl}"`));
    expect(body.text).toEqual(expect.stringContaining(verifyUrl));

    expect(row).toMatchObject({ status: "sent", transport: "resend", attempts: 1, error: null });
    expect(row.providerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.sentAt).toBeInstanceOf(Date);
  });

  it("sends sign-up's verification e-mail with a working APP_URL link", async () => {
    const email = uniqueEmail("signup-resend");
    await signUp(t.db, { name: "Resend User", email, password: strongPassword() }, { ip: uniqueIp() });

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
    const { message } = verificationMessage(uniqueEmail("xss"), `<img src=x onerror="alert(1)">`);
    await sendEmail(t.db, message);
    const html = String(fake.requests[0]!.body.html);
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x");
  });

  it("keeps a failed e-mail as `failed` without throwing, and retryEmail sends it later", async () => {
    const to = uniqueEmail("outage");
    fake.respondWith(500);
    const { message } = verificationMessage(to);

    const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
    const failed = await sendEmail(t.db, message);
    expect(consoleError).toHaveBeenCalledWith(expect.stringContaining(`could not send "${verifyEmailSubject()}" to ${to}`));
    consoleError.mockRestore();

    expect(failed).toMatchObject({ status: "failed", attempts: 1, providerId: null, sentAt: null });
    expect(failed.error).toMatch(/Fake outage/);
    expect(fake.requests).toHaveLength(1);

    // Positive control: once the API is back, a retry goes through.
    fake.respondWith(200);
    const retried = await retryEmail(t.db, failed.id);
    expect(retried).toMatchObject({ id: failed.id, status: "sent", attempts: 2, error: null, transport: "resend" });
    expect(retried!.providerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.body.html).toBe(fake.requests[0]!.body.html);

    // A sent e-mail is not sent again.
    const again = await retryEmail(t.db, failed.id);
    expect(again).toMatchObject({ status: "sent", attempts: 2 });
    expect(fake.requests).toHaveLength(2);
    expect(await findEmail(t.db, failed.id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("retryEmail of an unknown id returns nothing", async () => {
    await expect(retryEmail(t.db, "00000000-0000-4000-8000-000000000000")).resolves.toBeUndefined();
    expect(fake.requests).toHaveLength(0);
  });
});

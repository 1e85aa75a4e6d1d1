import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { setupTestDatabase } from "../helpers/db";
import { actorOf, seedOrg, seedUser, strongPassword, uniqueEmail, uniqueIp } from "../helpers/seed";

/*
 * Production: the outbox transport prints no link to the log, and the database
 * keeps no readable copy of the e-mail once it is handled. lib/env.ts parses the
 * environment once per module graph, so each case loads lib/ afresh under its own.
 */
const t = setupTestDatabase();
const saved = { ...process.env };
const LINK = /\/(reset-password|verify-email|invitations)\/(?!\[redacted\])[A-Za-z0-9_-]{20,}/;

async function productionLib(vars: Record<string, string | undefined>) {
  vi.resetModules();
  process.env = { ...saved, NODE_ENV: "production", ...vars };
  for (const [name, value] of Object.entries(vars)) if (value === undefined) delete process.env[name];
  const env = await import("@/lib/core/env");
  // lib/env reads NODE_ENV=production (and caches it); React itself keeps the build
  // this process loaded, or its server renderer and JSX runtime would not match.
  env.env();
  Object.assign(process.env, { NODE_ENV: saved.NODE_ENV });
  return {
    env,
    signUp: (await import("@/lib/auth/sign-up")).signUp,
    requestPasswordReset: (await import("@/lib/auth/password-reset")).requestPasswordReset,
    inviteMembers: (await import("@/lib/invitations/invite")).inviteMembers,
    // The worker's side, in the same module graph: it delivers what the changes queued.
    runDueJobs: (await import("@/lib/jobs/drain")).runDueJobs,
  };
}

let logged: string[] = [];
beforeAll(() => {
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(
        args
          .map((arg) => (arg instanceof Error ? `${arg.message} ${arg.stack}` : typeof arg === "string" ? arg : JSON.stringify(arg)))
          .join(" "),
      );
    });
  }
});
afterEach(() => {
  process.env = { ...saved };
  logged = [];
});
afterAll(() => vi.restoreAllMocks());

async function storedEmailsTo(to: string) {
  const { emails } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  return t.db.select().from(emails).where(eq(emails.to, to));
}

describe("mail in production", () => {
  it("with the outbox explicitly allowed: sign-up, reset and invitation e-mails log no link and keep none in the database", async () => {
    // Seeded through the test (development) configuration, before production mode starts.
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    logged = [];

    const lib = await productionLib({ MAIL_OUTBOX_IN_PRODUCTION: "true", OUTBOX_UI: undefined, RESEND_API_KEY: undefined });
    expect(lib.env.mailTransport()).toBe("outbox");
    const email = uniqueEmail("prod");
    await lib.signUp(t.db, { name: "Prod User", email, password: strongPassword() }, { ip: uniqueIp() });
    await lib.requestPasswordReset(t.db, { email });
    const invitee = uniqueEmail("prod-invitee");
    await lib.inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: invitee });
    expect(await lib.runDueJobs(t.db)).toMatchObject({ failed: 0 });

    // The log says an e-mail went out, never its link.
    expect(logged.some((line) => line.includes(email))).toBe(true);
    expect(logged.filter((line) => LINK.test(line))).toEqual([]);
    const rows = [...(await storedEmailsTo(email)), ...(await storedEmailsTo(invitee))];
    expect(rows.map((row) => row.template).sort()).toEqual(["invitation", "reset-password", "verify-email"]);
    for (const row of rows) {
      expect(row.status).toBe("sent");
      // Not even sealed: nothing shows the outbox in production here (OUTBOX_UI is off).
      expect(row.sealedBody).toBeNull();
      expect(JSON.stringify(row)).not.toMatch(LINK);
      expect(row.text).toMatch(/\/(reset-password|verify-email|invitations)\/\[redacted\]/);
    }
  });

  it("refuses the outbox unless allowed: the e-mail is recorded as failed, with the reason, and no link is logged", async () => {
    // No retries: the first attempt is the last, so the e-mail is dead at once.
    const lib = await productionLib({ MAIL_OUTBOX_IN_PRODUCTION: undefined, RESEND_API_KEY: undefined, JOB_RETRY_LIMIT: "0" });
    expect(lib.env.mailTransport()).toBe("none");
    const email = uniqueEmail("prod-none");
    await lib.signUp(t.db, { name: "No Mail", email, password: strongPassword() }, { ip: uniqueIp() });
    expect(await lib.runDueJobs(t.db)).toMatchObject({ completed: 0, failed: 1 });
    const [row] = await storedEmailsTo(email);
    expect(row).toMatchObject({ status: "failed", transport: "none" });
    expect(row!.error).toMatch(/RESEND_API_KEY/);
    expect(row!.error).toMatch(/MAIL_OUTBOX_IN_PRODUCTION=true/);
    expect(logged.filter((line) => LINK.test(line))).toEqual([]);
  });
});

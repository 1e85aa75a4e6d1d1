import { eq } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";

import { emailChanges, users } from "@/db/schema";
import { findSessionUser } from "@/lib/auth/account-settings";
import { confirmEmailChange, EMAIL_CHANGE_LINK_INVALID, inspectEmailChangeLink, requestEmailChange } from "@/lib/auth/email-change";
import { requestPasswordReset, resetPassword } from "@/lib/auth/password-reset";
import { openSession } from "@/lib/auth/sessions";
import { authenticate } from "@/lib/auth/sign-in";
import { inviteMembers } from "@/lib/invitations/invite";
import { listInvitationsForUser } from "@/lib/invitations/respond";
import { EMAIL_TAKEN_MESSAGE } from "@/lib/shared/account-lifecycle";

import { activityCountBy } from "../helpers/activity";
import { setupTestDatabase, testDbKind } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { jobsIn, runJobs } from "../helpers/jobs";
import { emailsTo, latestEmailTo, linkToken } from "../helpers/mail";
import { actorOf, findUserByEmail, seedOrg, seedUser, strongPassword, uniqueEmail, uniqueIp } from "../helpers/seed";

const t = setupTestDatabase();

const signIn = (email: string, password: string) => authenticate(t.db, { email, password }, { ip: uniqueIp() });

async function requestAndGetToken(user: { id: string; password: string }, newEmail: string): Promise<string> {
  await requestEmailChange(t.db, { userId: user.id }, { newEmail, currentPassword: user.password });
  return linkToken(await latestEmailTo(t.db, newEmail, "confirm-email-change"), "/confirm-email/");
}

describe("requestEmailChange", () => {
  it("refuses a wrong password with a field error: no link, no e-mail (positive control: the right one sends both)", async () => {
    const user = await seedUser(t.db);
    const newEmail = uniqueEmail("new");
    const error = await expectAppError(
      requestEmailChange(t.db, { userId: user.id }, { newEmail, currentPassword: `${user.password}x` }),
      "validation",
    );
    expect(error.fieldErrors.currentPassword).toEqual(["Your current password is not correct."]);
    expect(await emailsTo(t.db, newEmail)).toEqual([]);
    expect(await emailsTo(t.db, user.email)).toHaveLength(1); // only the sign-up verification
    expect(await t.db.select().from(emailChanges).where(eq(emailChanges.userId, user.id))).toEqual([]);

    await expect(requestEmailChange(t.db, { userId: user.id }, { newEmail, currentPassword: user.password })).resolves.toEqual({
      newEmail,
    });
    expect(await emailsTo(t.db, newEmail, "confirm-email-change")).toHaveLength(1);
    expect(await emailsTo(t.db, user.email, "email-change-requested")).toHaveLength(1);
  });

  it("counts wrong passwords with sign-in attempts: after the limit even the right one is refused", async () => {
    const user = await seedUser(t.db);
    for (let i = 0; i < 5; i++) {
      await expectAppError(
        requestEmailChange(t.db, { userId: user.id }, { newEmail: uniqueEmail(), currentPassword: "wrong-password" }),
        "validation",
      );
    }
    await expectAppError(
      requestEmailChange(t.db, { userId: user.id }, { newEmail: uniqueEmail(), currentPassword: user.password }),
      "rate_limited",
    );
    await expectAppError(signIn(user.email, user.password), "rate_limited");
  });

  it("validates the new address, and refuses the current one", async () => {
    const user = await seedUser(t.db);
    const invalid = await expectAppError(
      requestEmailChange(t.db, { userId: user.id }, { newEmail: "not-an-address", currentPassword: user.password }),
      "validation",
    );
    expect(invalid.fieldErrors.newEmail?.length).toBeGreaterThan(0);
    const same = await expectAppError(
      requestEmailChange(t.db, { userId: user.id }, { newEmail: user.email.toUpperCase(), currentPassword: user.password }),
      "validation",
    );
    expect(same.fieldErrors.newEmail).toEqual(["This is already your email address."]);
  });

  it("the address does not change on request; the link goes to the new address, a notice to the old one, queued with it", async () => {
    const user = await seedUser(t.db);
    const newEmail = uniqueEmail("new");
    const token = await requestAndGetToken(user, newEmail);

    expect((await findUserByEmail(t.db, user.email))?.id).toBe(user.id);
    expect(await findUserByEmail(t.db, newEmail)).toBeUndefined();
    // Only the hash of the link is stored, and the stored e-mail shows it redacted.
    const [row] = await t.db.select().from(emailChanges).where(eq(emailChanges.userId, user.id));
    expect(row?.tokenHash).not.toContain(token);
    expect(row?.newEmail).toBe(newEmail);
    expect(await inspectEmailChangeLink(t.db, token)).toEqual({ state: "valid", newEmail });

    const notice = await latestEmailTo(t.db, user.email, "email-change-requested");
    expect(notice.text).toContain(newEmail);
    expect(notice.text).toContain("http://localhost:3000/forgot-password");
    expect(notice.text).toContain("support@example.com");
    // Both e-mails were queued as jobs in the request's transaction; a worker delivers them.
    expect((await jobsIn(t.db, "mail.deliver")).length).toBeGreaterThanOrEqual(2);
    await runJobs(t.db);
    expect(await latestEmailTo(t.db, newEmail, "confirm-email-change")).toMatchObject({ status: "sent" });
    expect(await latestEmailTo(t.db, user.email, "email-change-requested")).toMatchObject({ status: "sent" });
  });

  it("an address that has an account gets the 'you already have an account' notice, not a link; the answer is the same", async () => {
    const user = await seedUser(t.db);
    const other = await seedUser(t.db);
    await expect(requestEmailChange(t.db, { userId: user.id }, { newEmail: other.email, currentPassword: user.password })).resolves.toEqual(
      { newEmail: other.email },
    );
    expect(await emailsTo(t.db, other.email, "confirm-email-change")).toEqual([]);
    expect(await emailsTo(t.db, other.email, "account-exists")).toHaveLength(1);
    expect(await t.db.select().from(emailChanges).where(eq(emailChanges.userId, user.id))).toEqual([]);
  });

  it("a new request ends the earlier link", async () => {
    const user = await seedUser(t.db);
    const first = await requestAndGetToken(user, uniqueEmail("first"));
    const secondEmail = uniqueEmail("second");
    const second = await requestAndGetToken(user, secondEmail);
    await expectAppError(confirmEmailChange(t.db, { token: first }), "not_found");
    await expect(confirmEmailChange(t.db, { token: second })).resolves.toMatchObject({ email: secondEmail });
  });
});

describe("confirmEmailChange", () => {
  it("moves the account to the new address, verified; sign-in works with the new address only", async () => {
    const user = await seedUser(t.db, { verified: false });
    const newEmail = uniqueEmail("new");
    const token = await requestAndGetToken(user, newEmail);

    const result = await confirmEmailChange(t.db, { token });
    expect(result).toEqual({ userId: user.id, email: newEmail, previousEmail: user.email, sessionVersion: 2 });
    const row = await findUserByEmail(t.db, newEmail);
    expect(row?.id).toBe(user.id);
    expect(row?.emailVerifiedAt).not.toBeNull();
    await expect(signIn(newEmail, user.password)).resolves.toMatchObject({ id: user.id });
    await expectAppError(signIn(user.email, user.password), "unauthorized");
    // No org activity: the address is the user's, not an org's (entries keep their snapshot).
    expect(await activityCountBy(t.db, user.id)).toBe(0);
  });

  it("ends every session of the user: old-version sessions stop, one re-opened at the new version works", async () => {
    const user = await seedUser(t.db);
    const otherSession = await openSession(t.db, user.id);
    const token = await requestAndGetToken(user, uniqueEmail("new"));
    const { sessionVersion } = await confirmEmailChange(t.db, { token });
    expect(await findSessionUser(t.db, { userId: user.id, sessionVersion: 1, sessionId: otherSession })).toBeUndefined();
    // The confirming browser's session is re-issued at the new version (actions/account-email.ts).
    const current = await openSession(t.db, user.id);
    expect(await findSessionUser(t.db, { userId: user.id, sessionVersion, sessionId: current })).toMatchObject({ id: user.id });
  });

  it("a link works once; an unknown, reused or expired link is refused and changes nothing", async () => {
    const user = await seedUser(t.db);
    const newEmail = uniqueEmail("new");
    const token = await requestAndGetToken(user, newEmail);
    await expectAppError(confirmEmailChange(t.db, { token: `${token}x` }), "not_found");
    await expectAppError(confirmEmailChange(t.db, { token: 42 }), "not_found");
    await confirmEmailChange(t.db, { token });
    const reused = await expectAppError(confirmEmailChange(t.db, { token }), "not_found");
    expect(reused.message).toBe(EMAIL_CHANGE_LINK_INVALID);
    expect(await inspectEmailChangeLink(t.db, token)).toEqual({ state: "used" });

    const other = await seedUser(t.db);
    const expired = await requestAndGetToken(other, uniqueEmail("late"));
    await t.db
      .update(emailChanges)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(emailChanges.userId, other.id));
    expect((await inspectEmailChangeLink(t.db, expired)).state).toBe("expired");
    await expectAppError(confirmEmailChange(t.db, { token: expired }), "not_found");
    expect((await findUserByEmail(t.db, other.email))?.id).toBe(other.id);
  });

  it("a password reset link sent to the old address stops working once the address changed", async () => {
    const user = await seedUser(t.db);
    await requestPasswordReset(t.db, { email: user.email });
    const resetToken = linkToken(await latestEmailTo(t.db, user.email, "reset-password"), "/reset-password/");
    await confirmEmailChange(t.db, { token: await requestAndGetToken(user, uniqueEmail("new")) });
    await expectAppError(resetPassword(t.db, { token: resetToken, password: strongPassword() }), "not_found");
  });

  it("refuses an address another account took since the request (conflict), and leaves both accounts as they were", async () => {
    const user = await seedUser(t.db);
    const newEmail = uniqueEmail("contested");
    const token = await requestAndGetToken(user, newEmail);
    const taker = await seedUser(t.db, { email: newEmail });
    const error = await expectAppError(confirmEmailChange(t.db, { token }), "conflict");
    expect(error.message).toBe(EMAIL_TAKEN_MESSAGE);
    expect((await findUserByEmail(t.db, user.email))?.id).toBe(user.id);
    expect((await findUserByEmail(t.db, newEmail))?.id).toBe(taker.id);
  });

  it("two accounts confirming the same address at once: exactly one gets it, the other a conflict (5 rounds)", async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([seedUser(t.db), seedUser(t.db)]);
      const newEmail = uniqueEmail(`race${round}`);
      // Both requests pass (the address is free when they are made): two links to one mailbox.
      await requestEmailChange(t.db, { userId: a.id }, { newEmail, currentPassword: a.password });
      await requestEmailChange(t.db, { userId: b.id }, { newEmail, currentPassword: b.password });
      const links = await emailsTo(t.db, newEmail, "confirm-email-change");
      expect(links).toHaveLength(2);
      const tokens = links.map((mail) => linkToken(mail, "/confirm-email/"));

      const results = await Promise.allSettled(tokens.map((token) => confirmEmailChange(t.db, { token })));
      const won = results.filter((result) => result.status === "fulfilled");
      const lost = results.filter((result) => result.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({ code: "conflict", message: EMAIL_TAKEN_MESSAGE });
      const owners = await t.db.select({ id: users.id }).from(users).where(eq(users.email, newEmail));
      expect(owners).toHaveLength(1);
      const winner = owners[0]!.id === a.id ? a : b;
      const loser = winner === a ? b : a;
      expect((await findUserByEmail(t.db, loser.email))?.id).toBe(loser.id);
    }
  });

  it("a pending invitation to the new address is listed for the user afterwards", async () => {
    const inviter = await seedUser(t.db);
    const org = await seedOrg(t.db, inviter);
    const user = await seedUser(t.db);
    const newEmail = uniqueEmail("invited");
    await inviteMembers(t.db, actorOf(inviter), { org: { id: org.id }, emails: newEmail });
    expect(await listInvitationsForUser(t.db, user.id)).toEqual([]);

    await confirmEmailChange(t.db, { token: await requestAndGetToken(user, newEmail) });
    const listed = await listInvitationsForUser(t.db, user.id);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ orgName: org.name });
  });
});

describe.runIf(testDbKind() === "postgres")("confirmEmailChange against an uncommitted claim (PostgreSQL)", () => {
  /**
   * Another connection moves a third account to the address without committing; the
   * confirmation's own check cannot see that, so its UPDATE waits on the unique index.
   * A commit there must end in the conflict answer (the index decides), a rollback in success.
   */
  async function confirmBehindClaim(outcome: "commit" | "rollback") {
    const user = await seedUser(t.db);
    const claimer = await seedUser(t.db);
    const newEmail = uniqueEmail(`claimed-${outcome}`);
    const token = await requestAndGetToken(user, newEmail);
    const holder = postgres(t.url!, { max: 1, onnotice: () => {} });
    const watcher = postgres(t.url!, { max: 1, onnotice: () => {} });
    try {
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      let claimed!: () => void;
      const isClaimed = new Promise<void>((resolve) => (claimed = resolve));
      const holding = holder
        .begin(async (sql) => {
          await sql`update users set email = ${newEmail} where id = ${claimer.id}`;
          claimed();
          await finished;
          if (outcome === "rollback") throw new Error("rollback");
        })
        .catch((error: Error) => {
          if (error.message !== "rollback") throw error;
        });
      await isClaimed;
      // Settled into a value at once: its rejection may come before we await it (while the holder commits).
      const confirming = confirmEmailChange(t.db, { token }).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      const deadline = Date.now() + 10_000;
      let waiting = 0;
      while (waiting < 1 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        [{ waiting }] = await watcher<[{ waiting: number }]>`
          select count(*)::int as waiting from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`;
      }
      expect(waiting, "the confirmation waited on the uncommitted address").toBe(1);
      finish();
      await holding;
      return {
        user,
        claimer,
        newEmail,
        result: await confirming,
      };
    } finally {
      await holder.end({ timeout: 5 });
      await watcher.end({ timeout: 5 });
    }
  }

  it("the other transaction commits: conflict, the account keeps its address", async () => {
    const { user, claimer, newEmail, result } = await confirmBehindClaim("commit");
    expect(result).toMatchObject({ error: { code: "conflict", message: EMAIL_TAKEN_MESSAGE } });
    expect((await findUserByEmail(t.db, user.email))?.id).toBe(user.id);
    expect((await findUserByEmail(t.db, newEmail))?.id).toBe(claimer.id);
  });

  it("the other transaction rolls back: the confirmation goes through (positive control)", async () => {
    const { user, newEmail, result } = await confirmBehindClaim("rollback");
    expect(result).toMatchObject({ value: { userId: user.id, email: newEmail } });
    expect((await findUserByEmail(t.db, newEmail))?.id).toBe(user.id);
  });
});

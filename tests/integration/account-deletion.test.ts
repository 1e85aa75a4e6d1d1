import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { activities, apiTokens, memberships, organizations, sessions, users } from "@/db/schema";
import { authenticateApiToken } from "@/lib/api-tokens/api-tokens";
import { createApp } from "@/lib/apps/apps";
import { deleteAccount, lastOwnerOfMessage } from "@/lib/auth/account-deletion";
import { findSessionUser } from "@/lib/auth/account-settings";
import { openSession } from "@/lib/auth/sessions";
import { authenticate } from "@/lib/auth/sign-in";
import { WRONG_CODE } from "@/lib/auth/two-factor";
import { AppError } from "@/lib/core/errors";
import { leaveOrganization } from "@/lib/orgs/memberships";

import { activitiesOf, activityCountBy } from "../helpers/activity";
import { seedApiToken } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { jobsIn, runJobs } from "../helpers/jobs";
import { emailsTo, latestEmailTo } from "../helpers/mail";
import { actorOf, addMember, findUserByEmail, membershipCount, seedOrg, seedUser, uniqueIp, type SeededUser } from "../helpers/seed";
import { enableTwoFactor, totpCode } from "../helpers/two-factor";

const t = setupTestDatabase();

const signIn = (email: string, password: string) => authenticate(t.db, { email, password }, { ip: uniqueIp() });
const remove = (user: SeededUser, password = user.password) => deleteAccount(t.db, actorOf(user), { currentPassword: password });
const userExists = async (id: string) => (await t.db.select({ id: users.id }).from(users).where(eq(users.id, id))).length === 1;
const orgExists = async (id: string) =>
  (await t.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, id))).length === 1;

describe("deleteAccount", () => {
  it("refuses a wrong password (field error) and changes nothing; the right one deletes (positive control)", async () => {
    const user = await seedUser(t.db);
    const error = await expectAppError(remove(user, `${user.password}x`), "validation");
    expect(error.fieldErrors.currentPassword).toEqual(["Your current password is not correct."]);
    expect(await userExists(user.id)).toBe(true);
    expect(await emailsTo(t.db, user.email, "account-deleted")).toEqual([]);

    await expect(remove(user)).resolves.toEqual({ email: user.email, deletedOrgs: [], leftOrgs: [] });
    expect(await userExists(user.id)).toBe(false);
  });

  it("counts wrong passwords with sign-in attempts", async () => {
    const user = await seedUser(t.db);
    for (let i = 0; i < 5; i++) await expectAppError(remove(user, "wrong-password"), "validation");
    await expectAppError(remove(user), "rate_limited");
    expect(await userExists(user.id)).toBe(true);
  });

  it("asks the second-factor hook, and a refusal there deletes nothing", async () => {
    const user = await seedUser(t.db);
    const calls: unknown[] = [];
    const refuse = async (_db: unknown, userId: string, code: string | undefined) => {
      calls.push([userId, code]);
      throw new AppError("validation", "Check the highlighted fields.", { code: ["This code is not correct."] });
    };
    await expectAppError(
      deleteAccount(t.db, actorOf(user), { currentPassword: user.password, code: "123456" }, { verifySecondFactor: refuse }),
      "validation",
    );
    expect(calls).toEqual([[user.id, "123456"]]);
    expect(await userExists(user.id)).toBe(true);
    await deleteAccount(t.db, actorOf(user), { currentPassword: user.password, code: "654321" }, { verifySecondFactor: async () => {} });
    expect(await userExists(user.id)).toBe(false);
  });

  it("with two-factor on, needs a valid code: none or a wrong one deletes nothing, a current code deletes", async () => {
    const user = await seedUser(t.db);
    const { secret } = await enableTwoFactor(t.db, user.id);
    const missing = await expectAppError(remove(user), "validation");
    expect(missing.fieldErrors.code).toEqual([expect.stringMatching(/Enter a code/)]);
    const wrong = await expectAppError(
      deleteAccount(t.db, actorOf(user), { currentPassword: user.password, code: "000000" === totpCode(secret) ? "111111" : "000000" }),
      "validation",
    );
    expect(wrong.fieldErrors.code).toEqual([WRONG_CODE]);
    expect(await userExists(user.id)).toBe(true);
    // The next period's code: set-up used the current one, and a code works once.
    await deleteAccount(t.db, actorOf(user), { currentPassword: user.password, code: totpCode(secret, 1) });
    expect(await userExists(user.id)).toBe(false);
  });

  it("refuses the last owner of orgs with other members, listing them, and changes nothing", async () => {
    const owner = await seedUser(t.db);
    const member = await seedUser(t.db);
    const [beta, alpha] = [await seedOrg(t.db, owner), await seedOrg(t.db, owner)];
    const solo = await seedOrg(t.db, owner);
    await addMember(t.db, member.id, alpha.id);
    await addMember(t.db, member.id, beta.id);
    const token = await seedApiToken(t.db, owner, alpha);

    const error = await expectAppError(remove(owner), "conflict");
    expect(error.message).toBe(lastOwnerOfMessage([alpha.name, beta.name].sort()));
    expect(error.message).toContain(alpha.name);
    expect(error.message).toContain(beta.name);
    expect(error.message).not.toContain(solo.name);
    expect(await userExists(owner.id)).toBe(true);
    expect(await orgExists(solo.id)).toBe(true);
    expect(await membershipCount(t.db, { userId: owner.id })).toBe(3);
    expect(await authenticateApiToken(t.db, `Bearer ${token.token}`)).toBeDefined();
    expect(await emailsTo(t.db, owner.email, "account-deleted")).toEqual([]);
  });

  it("an owner who is not the last owner leaves the org (positive control)", async () => {
    const owner = await seedUser(t.db);
    const coOwner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    await addMember(t.db, coOwner.id, org.id, "owner");
    const result = await remove(owner);
    expect(result).toEqual({ email: owner.email, deletedOrgs: [], leftOrgs: [org.name] });
    expect(await orgExists(org.id)).toBe(true);
    expect(await membershipCount(t.db, { orgId: org.id })).toBe(1);
  });

  it("deletes orgs where the user is the only member (their e-mails and Stripe customer deletion queued), leaves the others", async () => {
    const user = await seedUser(t.db, { name: "Dana Departing" });
    const teammate = await seedUser(t.db);
    const solo = await seedOrg(t.db, user);
    const shared = await seedOrg(t.db, teammate);
    await addMember(t.db, user.id, shared.id, "admin");
    await createApp(t.db, actorOf(user), { org: { id: solo.id }, name: "api" });
    const customerId = `cus_${solo.id.slice(0, 8)}`;
    await t.db.update(organizations).set({ providerCustomerId: customerId }).where(eq(organizations.id, solo.id));

    const result = await remove(user);
    expect(result).toEqual({ email: user.email, deletedOrgs: [solo.name], leftOrgs: [shared.name] });
    expect(await orgExists(solo.id)).toBe(false);
    expect(await orgExists(shared.id)).toBe(true);
    expect(await membershipCount(t.db, { userId: user.id })).toBe(0);
    const customerJobs = await jobsIn(t.db, "stripe.customer-delete");
    expect(customerJobs.map((job) => job.data)).toContainEqual({ customerId });
    expect(await emailsTo(t.db, user.email, "organization-deleted")).toHaveLength(1);
  });

  it("leaving writes one member.left entry per org; the user's entries keep their name and e-mail snapshot", async () => {
    const user = await seedUser(t.db, { name: "Snapshot Sam" });
    const teammate = await seedUser(t.db);
    const org = await seedOrg(t.db, teammate);
    await addMember(t.db, user.id, org.id, "admin");
    await createApp(t.db, actorOf(user), { org: { id: org.id }, name: "web" });
    const before = await activitiesOf(t.db, org.id);

    await remove(user);
    const after = await activitiesOf(t.db, org.id);
    expect(after).toHaveLength(before.length + 1);
    const byUser = after.filter((entry) => entry.actorUserId === user.id);
    expect(byUser.map((entry) => entry.type)).toEqual(["app.created", "member.left"]);
    for (const entry of byUser) expect(entry).toMatchObject({ actorName: "Snapshot Sam", actorEmail: user.email });
    expect(byUser[1]).toMatchObject({
      targetType: "user",
      targetId: user.id,
      targetLabel: user.email,
      metadata: { reason: "account_deleted" },
    });
    expect(await activityCountBy(t.db, user.id)).toBe(2);
  });

  it("API tokens stop and are gone; every session ends", async () => {
    const user = await seedUser(t.db);
    const teammate = await seedUser(t.db);
    const org = await seedOrg(t.db, teammate);
    await addMember(t.db, user.id, org.id, "admin");
    const token = await seedApiToken(t.db, user, org);
    const sessionId = await openSession(t.db, user.id);
    expect(await findSessionUser(t.db, { userId: user.id, sessionVersion: 1, sessionId })).toBeDefined();
    expect(await authenticateApiToken(t.db, `Bearer ${token.token}`)).toBeDefined();

    await remove(user);
    expect(await authenticateApiToken(t.db, `Bearer ${token.token}`)).toBeUndefined();
    expect(await t.db.select().from(apiTokens).where(eq(apiTokens.userId, user.id))).toEqual([]);
    expect(await findSessionUser(t.db, { userId: user.id, sessionVersion: 1, sessionId })).toBeUndefined();
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    await expectAppError(signIn(user.email, user.password), "unauthorized");
  });

  it("a final e-mail to the deleted address confirms, queued with the deletion", async () => {
    const user = await seedUser(t.db);
    const teammate = await seedUser(t.db);
    const org = await seedOrg(t.db, teammate);
    await addMember(t.db, user.id, org.id);
    const solo = await seedOrg(t.db, user);
    await remove(user);
    await runJobs(t.db);
    const mail = await latestEmailTo(t.db, user.email, "account-deleted");
    expect(mail).toMatchObject({ status: "sent", subject: "Your Console account was deleted" });
    expect(mail.text).toContain(solo.name);
    expect(mail.text).toContain(org.name);
  });

  it("the address can sign up again afterwards, as a new account with no memberships", async () => {
    const user = await seedUser(t.db);
    const org = await seedOrg(t.db, user);
    await remove(user);
    const again = await seedUser(t.db, { email: user.email });
    expect(again.id).not.toBe(user.id);
    expect(await membershipCount(t.db, { userId: again.id })).toBe(0);
    expect(await orgExists(org.id)).toBe(false);
    expect((await findUserByEmail(t.db, user.email))?.id).toBe(again.id);
    // The old account's entries are not the new account's.
    expect(await t.db.select().from(activities).where(eq(activities.actorUserId, again.id))).toEqual([]);
  });

  it("deleting while the other owner leaves: never an org without an owner, never both through", async () => {
    for (let round = 0; round < 5; round++) {
      const a = await seedUser(t.db);
      const b = await seedUser(t.db);
      const c = await seedUser(t.db);
      const org = await seedOrg(t.db, a);
      await addMember(t.db, b.id, org.id, "owner");
      await addMember(t.db, c.id, org.id);
      const results = await Promise.allSettled([remove(a), leaveOrganization(t.db, actorOf(b), { org: { id: org.id } })]);
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      const owners = await t.db.select().from(memberships).where(eq(memberships.orgId, org.id));
      expect(owners.filter((row) => row.role === "owner")).toHaveLength(1);
    }
  });
});

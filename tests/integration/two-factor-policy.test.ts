import { describe, expect, it } from "vitest";

import { authenticateApiToken } from "@/lib/api-tokens/api-tokens";
import { createApp, listApps } from "@/lib/apps/apps";
import { disableTwoFactor } from "@/lib/auth/two-factor";
import { AppError } from "@/lib/core/errors";
import { inviteMembers } from "@/lib/invitations/invite";
import { viewInvitation } from "@/lib/invitations/respond";
import { requireMembership } from "@/lib/orgs/access";
import { leaveOrganization } from "@/lib/orgs/memberships";
import { TwoFactorRequiredError, twoFactorRequiredMessage } from "@/lib/orgs/two-factor-compliance";
import { listMembersWithoutTwoFactor, setTwoFactorPolicy } from "@/lib/orgs/two-factor-policy";
import { refusalMessage, type Role } from "@/lib/shared/roles";

import { activitiesOf } from "../helpers/activity";
import { callApi, seedApiToken } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { emailsTo, invitationToken, latestEmailTo } from "../helpers/mail";
import { actorOf, addMember, seedOrg, seedUser, uniqueEmail } from "../helpers/seed";
import { enableTwoFactor } from "../helpers/two-factor";

const t = setupTestDatabase();

/** An owner with two-factor, a member with it and a member without it, each with an API token. */
async function scene(role: Role = "member") {
  const owner = await seedUser(t.db, { name: "Olga Owner" });
  const secure = await seedUser(t.db, { name: "Sam Secure" });
  const lax = await seedUser(t.db, { name: "Lee Lax" });
  const org = await seedOrg(t.db, owner);
  await addMember(t.db, secure.id, org.id, role);
  await addMember(t.db, lax.id, org.id, role);
  const ownerTwoFactor = await enableTwoFactor(t.db, owner.id);
  await enableTwoFactor(t.db, secure.id);
  const tokens = { secure: (await seedApiToken(t.db, secure, org)).token, lax: (await seedApiToken(t.db, lax, org)).token };
  return { owner, ownerTwoFactor, secure, lax, org, tokens };
}

describe("the org policy 'require two-factor'", () => {
  it("only owners may change it, and an owner needs two-factor first", async () => {
    const { owner, secure, org } = await scene("admin");
    const admin = await expectAppError(setTwoFactorPolicy(t.db, actorOf(secure), { org: { name: org.name }, required: true }), "forbidden");
    expect(admin.message).toBe(refusalMessage("org.two_factor_policy"));
    expect(admin.message).toBe("Only owners can change whether the organization requires two-factor authentication.");

    // An owner without two-factor would lock themselves out.
    const other = await seedUser(t.db);
    const otherOrg = await seedOrg(t.db, other);
    const lockout = await expectAppError(
      setTwoFactorPolicy(t.db, actorOf(other), { org: { name: otherOrg.name }, required: true }),
      "conflict",
    );
    expect(lockout.message).toMatch(/your own account first/);
    expect((await activitiesOf(t.db, otherOrg.id)).map((entry) => entry.type)).toEqual(["organization.created"]);
    expect((await activitiesOf(t.db, org.id)).map((entry) => entry.type)).not.toContain("organization.two_factor_required");

    // Positive control: the owner with two-factor may.
    await expect(setTwoFactorPolicy(t.db, actorOf(owner), { org: { name: org.name }, required: true })).resolves.toMatchObject({
      required: true,
      changed: true,
    });
  });

  it("lists and e-mails who is not compliant, and records one activity entry per change", async () => {
    const { owner, lax, secure, org } = await scene();
    expect((await listMembersWithoutTwoFactor(t.db, owner.id, { name: org.name })).map((m) => m.email)).toEqual([lax.email]);
    const result = await setTwoFactorPolicy(t.db, actorOf(owner), { org: { name: org.name }, required: true });
    expect(result.nonCompliant.map((member) => member.email)).toEqual([lax.email]);
    const email = await latestEmailTo(t.db, lax.email, "two-factor-required");
    expect(email.subject).toBe(`${org.name} now requires two-factor authentication`);
    expect(await emailsTo(t.db, secure.email, "two-factor-required")).toEqual([]);

    // Setting it again changes nothing and records nothing.
    expect(await setTwoFactorPolicy(t.db, actorOf(owner), { org: { name: org.name }, required: true })).toMatchObject({ changed: false });
    await setTwoFactorPolicy(t.db, actorOf(owner), { org: { name: org.name }, required: false });
    const entries = (await activitiesOf(t.db, org.id)).filter((entry) => entry.type.startsWith("organization.two_factor"));
    expect(entries.map((entry) => [entry.type, entry.actorUserId, entry.targetLabel]).sort()).toEqual(
      [
        ["organization.two_factor_required", owner.id, org.name],
        ["organization.two_factor_not_required", owner.id, org.name],
      ].sort(),
    );
  });

  it("blocks a member without two-factor from the org's reads, writes and API, with the reason; not one with it", async () => {
    const { owner, lax, secure, org, tokens } = await scene();
    await setTwoFactorPolicy(t.db, actorOf(owner), { org: { name: org.name }, required: true });

    // Pages read through requireMembership: the reason, which the org pages turn into the banner.
    const read = await requireMembership(t.db, lax.id, { name: org.name }).catch((error: unknown) => error);
    expect(read).toBeInstanceOf(TwoFactorRequiredError);
    expect((read as AppError).code).toBe("forbidden");
    expect((read as AppError).message).toBe(twoFactorRequiredMessage(org.name));
    await expectAppError(listApps(t.db, lax.id, { name: org.name }), "forbidden");
    await expectAppError(createApp(t.db, actorOf(lax), { org: { name: org.name }, name: "blocked" }), "forbidden");

    // API tokens: 403 with the reason (not 401: the token is real).
    const blocked = await callApi(t.db, "GET", "/apps", { token: tokens.lax });
    expect(blocked.status).toBe(403);
    expect(JSON.stringify(blocked.body)).toContain(twoFactorRequiredMessage(org.name));
    await expect(authenticateApiToken(t.db, `Bearer ${tokens.lax}`)).rejects.toBeInstanceOf(TwoFactorRequiredError);

    // Positive controls: the compliant member and their token.
    await expect(listApps(t.db, secure.id, { name: org.name })).resolves.toBeDefined();
    expect((await callApi(t.db, "GET", "/apps", { token: tokens.secure })).status).toBe(200);

    // Turning two-factor on lifts the block at once.
    await enableTwoFactor(t.db, lax.id);
    await expect(listApps(t.db, lax.id, { name: org.name })).resolves.toBeDefined();
    expect((await callApi(t.db, "GET", "/apps", { token: tokens.lax })).status).toBe(200);
  });

  it("blocks again a member who turns two-factor off; the org stays open to leave it", async () => {
    const { owner, ownerTwoFactor, org } = await scene();
    await setTwoFactorPolicy(t.db, actorOf(owner), { org: { name: org.name }, required: true });
    // The owner turns their own two-factor off: the policy applies to owners too.
    await disableTwoFactor(t.db, { userId: owner.id }, { password: owner.password, code: ownerTwoFactor.recoveryCodes[0]! });
    await expectAppError(listApps(t.db, owner.id, { name: org.name }), "forbidden");
    // A blocked member may still leave.
    const lax = await seedUser(t.db);
    await addMember(t.db, lax.id, org.id);
    await expectAppError(listApps(t.db, lax.id, { name: org.name }), "forbidden");
    await leaveOrganization(t.db, actorOf(lax), { org: { name: org.name } });
    await expectAppError(listApps(t.db, lax.id, { name: org.name }), "not_found");
  });

  it("is said in invitations: the e-mail and the invitation page", async () => {
    // An org of one, so that seats are free.
    const owner = await seedUser(t.db);
    const org = await seedOrg(t.db, owner);
    await enableTwoFactor(t.db, owner.id);
    const before = uniqueEmail("before");
    await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: before });
    expect((await latestEmailTo(t.db, before, "invitation")).text).not.toContain("requires two-factor");

    await setTwoFactorPolicy(t.db, actorOf(owner), { org: { name: org.name }, required: true });
    const after = uniqueEmail("after");
    await inviteMembers(t.db, actorOf(owner), { org: { name: org.name }, emails: after });
    expect((await latestEmailTo(t.db, after, "invitation")).text).toContain(`${org.name} requires two-factor authentication`);
    expect(await viewInvitation(t.db, await invitationToken(t.db, after))).toMatchObject({ state: "pending", requiresTwoFactor: true });
  });
});

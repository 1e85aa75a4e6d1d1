import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { apiTokens } from "@/db/schema";
import { authenticateApiToken } from "@/lib/api-tokens/api-tokens";
import { signOutOtherSessions } from "@/lib/auth/account-settings";
import { requestPasswordReset, resetPassword } from "@/lib/auth/password-reset";
import { leaveOrganization } from "@/lib/orgs/memberships";

import { activitiesOf } from "../helpers/activity";
import { seedApiToken } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { latestEmailTo, linkToken } from "../helpers/mail";
import { addMember, seedOrg, seedUser, strongPassword } from "../helpers/seed";

const t = setupTestDatabase();

const works = async (token: string) => (await authenticateApiToken(t.db, `Bearer ${token}`)) !== undefined;

/** Ada has tokens in two orgs (and one in an org she left, which would revive if she rejoined); Bob shares one org. */
async function adaWithTokens() {
  const ada = await seedUser(t.db, { name: "Ada Admin" });
  const bob = await seedUser(t.db, { name: "Bob Builder" });
  const acme = await seedOrg(t.db, ada);
  const labs = await seedOrg(t.db, ada);
  const old = await seedOrg(t.db, bob);
  await addMember(t.db, bob.id, acme.id);
  await addMember(t.db, ada.id, old.id);
  const tokens = {
    acmeDeploy: await seedApiToken(t.db, ada, acme, "acme-deploy"),
    acmeCi: await seedApiToken(t.db, ada, acme, "acme-ci"),
    labs: await seedApiToken(t.db, ada, labs, "labs-ci"),
    old: await seedApiToken(t.db, ada, old, "old-ci"),
    bobs: await seedApiToken(t.db, bob, acme, "bobs-ci"),
  };
  await leaveOrganization(t.db, { userId: ada.id, name: ada.name, email: ada.email }, { org: { name: old.name } });
  return { ada, bob, acme, labs, old, tokens };
}

async function requestResetToken(email: string): Promise<string> {
  await requestPasswordReset(t.db, { email });
  return linkToken(await latestEmailTo(t.db, email, "reset-password"), "/reset-password/");
}

async function deletionsIn(orgId: string) {
  return (await activitiesOf(t.db, orgId)).filter((entry) => entry.type === "api_token.deleted");
}

describe("signing out other sessions revokes the user's API tokens", () => {
  it("deletes every token the user owns, in every org, with one activity entry per token in its org", async () => {
    const { ada, acme, labs, old, tokens } = await adaWithTokens();
    expect(await works(tokens.acmeDeploy.token)).toBe(true);

    const result = await signOutOtherSessions(t.db, { userId: ada.id, ip: "203.0.113.5", userAgent: "test-browser" });
    expect(result).toMatchObject({ sessionVersion: 2, revokedApiTokens: 4 });

    for (const token of [tokens.acmeDeploy, tokens.acmeCi, tokens.labs]) expect(await works(token.token)).toBe(false);
    expect(await t.db.$count(apiTokens, eq(apiTokens.userId, ada.id))).toBe(0);

    const acmeEntries = await deletionsIn(acme.id);
    expect(acmeEntries.map((entry) => entry.targetLabel).sort()).toEqual(["acme-ci", "acme-deploy"]);
    expect(acmeEntries[0]).toMatchObject({
      actorUserId: ada.id,
      actorName: "Ada Admin",
      actorEmail: ada.email,
      targetType: "api_token",
      ip: "203.0.113.5",
      userAgent: "test-browser",
      metadata: { reason: "signed_out_everywhere" },
    });
    expect((await deletionsIn(labs.id)).map((entry) => entry.targetLabel)).toEqual(["labs-ci"]);
    // The org she left sees the token go too: it would have worked again had she rejoined.
    expect((await deletionsIn(old.id)).map((entry) => entry.targetLabel)).toEqual(["old-ci"]);
  });

  it("leaves other members' tokens alone (positive control)", async () => {
    const { ada, tokens } = await adaWithTokens();
    await signOutOtherSessions(t.db, { userId: ada.id });
    expect(await works(tokens.bobs.token)).toBe(true);
  });

  it("with no tokens, only signs out (no activity entry)", async () => {
    const lonely = await seedUser(t.db);
    const org = await seedOrg(t.db, lonely);
    await expect(signOutOtherSessions(t.db, { userId: lonely.id })).resolves.toMatchObject({ revokedApiTokens: 0 });
    expect(await deletionsIn(org.id)).toEqual([]);
  });
});

describe("a password reset revokes the user's API tokens unless asked not to", () => {
  it("revokes them by default, in the reset's transaction, with activity entries", async () => {
    const { ada, acme, tokens } = await adaWithTokens();
    const token = await requestResetToken(ada.email);
    await expect(
      resetPassword(t.db, { token, password: strongPassword() }, { ip: "198.51.100.7", userAgent: "reset-browser" }),
    ).resolves.toMatchObject({
      email: ada.email,
      revokedApiTokens: 4,
    });
    expect(await works(tokens.acmeDeploy.token)).toBe(false);
    expect(await works(tokens.labs.token)).toBe(false);
    expect(await works(tokens.bobs.token)).toBe(true);
    const [entry] = await deletionsIn(acme.id);
    expect(entry).toMatchObject({ actorUserId: ada.id, ip: "198.51.100.7", metadata: { reason: "password_reset" } });
  });

  it("keeps them when the checkbox is cleared", async () => {
    const { ada, acme, tokens } = await adaWithTokens();
    const token = await requestResetToken(ada.email);
    await expect(resetPassword(t.db, { token, password: strongPassword(), revokeApiTokens: false })).resolves.toMatchObject({
      revokedApiTokens: 0,
    });
    expect(await works(tokens.acmeDeploy.token)).toBe(true);
    expect(await deletionsIn(acme.id)).toEqual([]);
  });

  it("a refused reset revokes nothing", async () => {
    const { ada, tokens } = await adaWithTokens();
    const token = await requestResetToken(ada.email);
    await expectAppError(resetPassword(t.db, { token, password: "password1" }), "validation");
    await expectAppError(resetPassword(t.db, { token: "not-a-real-token", password: strongPassword() }), "not_found");
    expect(await works(tokens.acmeDeploy.token)).toBe(true);
  });
});

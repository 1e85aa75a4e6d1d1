import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { apiTokens, apps, invitations, memberships, secrets } from "@/db/schema";
import { createApiToken, deleteApiToken } from "@/lib/api-tokens/api-tokens";
import { createApp, deleteApp, renameApp } from "@/lib/apps/apps";
import { inviteMembers } from "@/lib/invitations/invite";
import { declineInvitation } from "@/lib/invitations/respond";
import { createSecret, deleteSecret, SECRET_VALUE_MAX, updateSecret } from "@/lib/secrets/secrets";

import { activitiesAfter, activityMark } from "../helpers/activity";
import { callApi, seedApiToken } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { actorOf, seedOrg, seedUser, uniqueEmail } from "../helpers/seed";

const t = setupTestDatabase();

async function ownerAndOrg() {
  const owner = await seedUser(t.db, { name: "Olga Owner" });
  const org = await seedOrg(t.db, owner);
  return { owner, org, actor: actorOf(owner) };
}

const rowsOf = async (orgId: string) => ({
  apps: await t.db.select().from(apps).where(eq(apps.orgId, orgId)).orderBy(asc(apps.id)),
  secrets: await t.db.select().from(secrets).where(eq(secrets.orgId, orgId)).orderBy(asc(secrets.id)),
  tokens: await t.db.select().from(apiTokens).where(eq(apiTokens.orgId, orgId)).orderBy(asc(apiTokens.id)),
});

/** Runs `work`, expecting the AppError `code`; then nothing in the org changed and no entry was written. */
async function expectRefused(orgId: string, label: string, work: () => Promise<unknown>, code: "validation" | "not_found") {
  const before = await rowsOf(orgId);
  const mark = await activityMark(t.db);
  const error = await expectAppError(work(), code);
  expect(await rowsOf(orgId), label).toEqual(before);
  expect(await activitiesAfter(t.db, mark), label).toEqual([]);
  return error;
}

/** Runs `work` and returns its result with the one activity entry it wrote (failing if it wrote none or several). */
async function withOneEntry<T>(work: () => Promise<T>) {
  const mark = await activityMark(t.db);
  const result = await work();
  const entries = await activitiesAfter(t.db, mark);
  expect(entries).toHaveLength(1);
  return { result, entry: entries[0]! };
}

describe("deleteApiToken", () => {
  it("is not_found for malformed and unknown ids", async () => {
    const { owner, org, actor } = await ownerAndOrg();
    const token = await seedApiToken(t.db, owner, org, "ci-deploy");
    for (const tokenId of [
      undefined,
      null,
      "",
      42,
      "not-a-uuid",
      "-".repeat(36),
      `${token.id}x`,
      `'${token.id}'`,
      "1; drop table api_tokens",
      { id: token.id },
      randomUUID(),
    ]) {
      const label = JSON.stringify(tokenId) ?? "undefined";
      const error = await expectRefused(
        org.id,
        label,
        () => deleteApiToken(t.db, actor, { org: { name: org.name }, tokenId }),
        "not_found",
      );
      expect(error.message, label).toMatch(/API token does not exist in this organization/);
    }
  });

  it("deletes the token with exactly one api_token.deleted entry, after which it no longer authenticates", async () => {
    const { owner, org, actor } = await ownerAndOrg();
    const token = await seedApiToken(t.db, owner, org, "release-bot");
    const other = await seedApiToken(t.db, owner, org, "other-bot");
    expect((await callApi(t.db, "GET", "/organization", { token: token.token })).status).toBe(200);

    const { result, entry } = await withOneEntry(() => deleteApiToken(t.db, actor, { org: { name: org.name }, tokenId: token.id }));
    expect(result).toEqual({ name: "release-bot" });
    expect(entry).toMatchObject({
      orgId: org.id,
      type: "api_token.deleted",
      actorUserId: owner.id,
      targetType: "api_token",
      targetId: token.id,
      targetLabel: "release-bot",
    });
    expect((await rowsOf(org.id)).tokens.map((row) => row.id)).toEqual([other.id]);

    const answer = await callApi(t.db, "GET", "/organization", { token: token.token });
    expect(answer.status).toBe(401);
    expect((await callApi(t.db, "GET", "/organization", { token: other.token })).status).toBe(200);
    // Deleting again: the token is gone.
    await expectRefused(org.id, "again", () => deleteApiToken(t.db, actor, { org: { name: org.name }, tokenId: token.id }), "not_found");
  });
});

describe("createApiToken with bad input", () => {
  it("answers validation with field errors and writes nothing", async () => {
    const { org, actor } = await ownerAndOrg();
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ name: "a" }, ["name"]],
      [{ name: "  a  " }, ["name"]],
      [{ name: "x".repeat(129) }, ["name"]],
      [{ name: undefined }, ["name"]],
      [{ name: 42 }, ["name"]],
      [{ name: "ok-name", description: "d".repeat(501) }, ["description"]],
      [{ name: "ok-name", expiresIn: "7d" }, ["expiresIn"]],
      [{ name: "ok-name", expiresIn: "1Y" }, ["expiresIn"]],
      [{ name: "ok-name", expiresIn: "forever" }, ["expiresIn"]],
      [{ name: "ok-name", expiresIn: 30 }, ["expiresIn"]],
      [{ name: "a", description: "d".repeat(501), expiresIn: "2y" }, ["description", "expiresIn", "name"]],
    ];
    for (const [input, fields] of cases) {
      const label = JSON.stringify(input).slice(0, 80);
      const error = await expectRefused(
        org.id,
        label,
        () => createApiToken(t.db, actor, { org: { name: org.name }, name: undefined, ...input }),
        "validation",
      );
      expect(Object.keys(error.fieldErrors).sort(), label).toEqual(fields);
    }
  });

  it("accepts the limits themselves and every expiry option", async () => {
    const { org, actor } = await ownerAndOrg();
    await expect(createApiToken(t.db, actor, { org: { name: org.name }, name: "ab", description: "d".repeat(500) })).resolves.toMatchObject(
      { name: "ab" },
    );
    await expect(createApiToken(t.db, actor, { org: { name: org.name }, name: "x".repeat(128) })).resolves.toMatchObject({
      name: "x".repeat(128),
    });
    for (const expiresIn of ["30d", "90d", "1y"]) {
      expect(
        (await createApiToken(t.db, actor, { org: { name: org.name }, name: `t-${expiresIn}`, expiresIn })).expiresAt,
        expiresIn,
      ).toBeInstanceOf(Date);
    }
    expect((await createApiToken(t.db, actor, { org: { name: org.name }, name: "t-never", expiresIn: "never" })).expiresAt).toBeNull();
  });
});

describe("activity entries: type, target and metadata", () => {
  it("apps: app.updated records {from, to} and the new name; app.deleted the deleted name", async () => {
    const { owner, org, actor } = await ownerAndOrg();
    const app = await createApp(t.db, actor, { org: { name: org.name }, name: "web" });

    const renamed = await withOneEntry(() => renameApp(t.db, actor, { org: { name: org.name }, appId: app.id, name: "www" }));
    expect(renamed.result).toMatchObject({ id: app.id, name: "www" });
    expect(renamed.entry).toMatchObject({
      orgId: org.id,
      type: "app.updated",
      actorUserId: owner.id,
      targetType: "app",
      targetId: app.id,
      targetLabel: "www",
      metadata: { from: "web", to: "www" },
    });
    expect(renamed.entry.metadata).toEqual({ from: "web", to: "www" });

    const deleted = await withOneEntry(() => deleteApp(t.db, actor, { org: { name: org.name }, appId: app.id }));
    expect(deleted.result).toEqual({ name: "www" });
    expect(deleted.entry).toMatchObject({ type: "app.deleted", targetType: "app", targetId: app.id, targetLabel: "www" });
  });

  it("secrets: created, updated (name and/or value) and deleted, without the value anywhere", async () => {
    const { org, actor } = await ownerAndOrg();
    const created = await withOneEntry(() =>
      createSecret(t.db, actor, { org: { name: org.name }, name: "API_KEY", value: "first-value-s3cr3t" }),
    );
    const id = created.result.id;
    expect(created.entry).toMatchObject({ type: "secret.created", targetType: "secret", targetId: id, targetLabel: "API_KEY" });

    const valueOnly = await withOneEntry(() =>
      updateSecret(t.db, actor, { org: { name: org.name }, secretId: id, value: "second-value-s3cr3t" }),
    );
    expect(valueOnly.entry).toMatchObject({ type: "secret.updated", targetType: "secret", targetId: id, targetLabel: "API_KEY" });
    expect(valueOnly.entry.metadata).toEqual({ valueChanged: true });

    const nameOnly = await withOneEntry(() =>
      updateSecret(t.db, actor, { org: { name: org.name }, secretId: id, name: "SERVICE_KEY", value: "" }),
    );
    expect(nameOnly.entry).toMatchObject({ type: "secret.updated", targetId: id, targetLabel: "SERVICE_KEY" });
    expect(nameOnly.entry.metadata).toEqual({ from: "API_KEY", to: "SERVICE_KEY", valueChanged: false });

    const both = await withOneEntry(() =>
      updateSecret(t.db, actor, { org: { name: org.name }, secretId: id, name: "KEY", value: "third-value-s3cr3t" }),
    );
    expect(both.entry).toMatchObject({ targetLabel: "KEY", metadata: { from: "SERVICE_KEY", to: "KEY", valueChanged: true } });

    const deleted = await withOneEntry(() => deleteSecret(t.db, actor, { org: { name: org.name }, secretId: id }));
    expect(deleted.result).toEqual({ name: "KEY" });
    expect(deleted.entry).toMatchObject({ type: "secret.deleted", targetType: "secret", targetId: id, targetLabel: "KEY" });

    const all = [created, valueOnly, nameOnly, both, deleted].map(({ entry }) => entry);
    expect(JSON.stringify(all)).not.toContain("s3cr3t");
  });

  it("api tokens: api_token.created names the token", async () => {
    const { owner, org, actor } = await ownerAndOrg();
    const { result, entry } = await withOneEntry(() =>
      createApiToken(t.db, actor, { org: { name: org.name }, name: "  nightly-sync  ", description: "cron" }),
    );
    expect(result.name).toBe("nightly-sync");
    expect(entry).toMatchObject({
      orgId: org.id,
      type: "api_token.created",
      actorUserId: owner.id,
      targetType: "api_token",
      targetId: result.id,
      targetLabel: "nightly-sync",
    });
    expect(JSON.stringify(entry)).not.toContain(result.token);
  });
});

describe("invalid changes are refused, change nothing and write no entry", () => {
  it("renameApp with an invalid name", async () => {
    const { org, actor } = await ownerAndOrg();
    const app = await createApp(t.db, actor, { org: { name: org.name }, name: "web" });
    for (const name of ["", "My App", "-web", "web-", "we--b", "wéb", "Web", "a".repeat(64), undefined, 42]) {
      const label = JSON.stringify(name) ?? "undefined";
      const error = await expectRefused(
        org.id,
        label,
        () => renameApp(t.db, actor, { org: { name: org.name }, appId: app.id, name }),
        "validation",
      );
      expect(Object.keys(error.fieldErrors), label).toEqual(["name"]);
    }
  });

  it("updateSecret with an invalid name, or an empty or too-long value", async () => {
    const { org, actor } = await ownerAndOrg();
    const secret = await createSecret(t.db, actor, { org: { name: org.name }, name: "TOKEN", value: "kept" });
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ name: "1BAD" }, ["name"]],
      [{ name: "HAS SPACE" }, ["name"]],
      [{ name: "DOT.TED" }, ["name"]],
      [{ name: "X".repeat(129) }, ["name"]],
      [{ name: 42 }, ["name"]],
      [{ value: "x".repeat(SECRET_VALUE_MAX + 1) }, ["value"]],
      [{ name: "NEW_NAME", value: "x".repeat(SECRET_VALUE_MAX + 1) }, ["value"]],
      [{ value: 42 }, ["value"]],
      [{ value: null }, ["value"]],
      // An empty value means "keep the value": with no new name either, there is nothing to change.
      [{ value: "" }, []],
      [{ name: "", value: "" }, []],
      [{}, []],
    ];
    for (const [input, fields] of cases) {
      const label = JSON.stringify(input).slice(0, 80);
      const error = await expectRefused(
        org.id,
        label,
        () => updateSecret(t.db, actor, { org: { name: org.name }, secretId: secret.id, ...input }),
        "validation",
      );
      expect(Object.keys(error.fieldErrors).sort(), label).toEqual(fields);
      if (fields.length === 0) expect(error.message, label).toMatch(/new name or a new value/);
    }
  });
});

describe("declineInvitation with a malformed reference", () => {
  async function invitee() {
    const { org, actor } = await ownerAndOrg();
    const email = uniqueEmail("invitee");
    await inviteMembers(t.db, actor, { org: { name: org.name }, emails: email });
    const user = await seedUser(t.db, { email, name: "Ivy Invitee" });
    const [invitation] = await t.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.orgId, org.id), eq(invitations.email, email)));
    return { org, user, invitation: invitation! };
  }

  it("answers not_found for a malformed token or id, and the invitation stays pending", async () => {
    const { org, user, invitation } = await invitee();
    const refs = [
      ...[undefined, null, 42, "", "short", "x".repeat(201), { token: "x".repeat(40) }, "y".repeat(43)].map((token) => ({ token })),
      ...[undefined, null, 42, "", "not-a-uuid", "-".repeat(36), `${invitation.id}x`, "1; drop table invitations", randomUUID()].map(
        (invitationId) => ({ invitationId }),
      ),
    ];
    for (const ref of refs) {
      const label = JSON.stringify(ref);
      const mark = await activityMark(t.db);
      const error = await expectAppError(declineInvitation(t.db, actorOf(user), ref), "not_found");
      expect(error.message, label).toBe("This invitation does not exist or its link was replaced by a newer one.");
      expect(await activitiesAfter(t.db, mark), label).toEqual([]);
    }
    const [after] = await t.db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(after).toEqual(invitation);
    expect(await t.db.select().from(memberships).where(eq(memberships.userId, user.id))).toEqual([]);
    expect(org.id).toBe(invitation.orgId);
  });
});

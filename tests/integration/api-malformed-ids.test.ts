import { afterEach, describe, expect, it, vi } from "vitest";

import { getApp } from "@/lib/apps/apps";
import { encodeKeysetCursor } from "@/lib/core/keyset-cursor";
import { removeMember } from "@/lib/orgs/members";
import { getSecret } from "@/lib/secrets/secrets";

import { callApi, seedApiToken } from "../helpers/api";
import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { actorOf, seedOrg, seedUser } from "../helpers/seed";

/**
 * Ids and cursors that look like UUIDs but are not (36 dashes, say) are "not
 * found", never a database cast error (a 500): lib/core/ids.ts checks them strictly.
 */
const t = setupTestDatabase();

const NOT_A_UUID = "-".repeat(36);

afterEach(() => {
  vi.restoreAllMocks();
});

async function orgWithToken() {
  const owner = await seedUser(t.db);
  const org = await seedOrg(t.db, owner);
  return { owner, org, auth: { token: (await seedApiToken(t.db, owner, org)).token } };
}

describe("ids and cursors that are 36 characters but not UUIDs are not_found, never a 500", () => {
  it("getApp, getSecret and removeMember answer not_found for a 36-character id that is not a UUID", async () => {
    const { owner, org } = await orgWithToken();
    await expectAppError(getApp(t.db, owner.id, { name: org.name }, NOT_A_UUID), "not_found");
    await expectAppError(getSecret(t.db, owner.id, { name: org.name }, NOT_A_UUID), "not_found");
    await expectAppError(removeMember(t.db, actorOf(owner), { org: { name: org.name }, userId: NOT_A_UUID }), "not_found");
  });

  it("GET /members with a forged cursor (bad user id) is not a 500", async () => {
    const { auth } = await orgWithToken();
    vi.spyOn(console, "error").mockImplementation(() => {});
    const cursor = encodeKeysetCursor({ at: "2026-01-01 00:00:00+00", userId: NOT_A_UUID });
    expect((await callApi(t.db, "GET", `/members?cursor=${cursor}`, auth)).status).not.toBe(500);
  });
});

import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { describeActivity, listActivities } from "@/lib/activity/feed";
import { changeName } from "@/lib/auth/account-settings";
import { createOrganization, renameOrganization } from "@/lib/orgs/organizations";

import { activitiesOf } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { actorOf, seedOrg, seedUser, uniqueOrgName } from "../helpers/seed";

const t = setupTestDatabase();

describe("what an entry carries", () => {
  it("the actor's name is a snapshot: after they rename themselves, old entries keep the old name", async () => {
    const user = await seedUser(t.db, { name: "Nora Before" });
    const org = await seedOrg(t.db, user);
    await changeName(t.db, { userId: user.id }, { name: "Nora After" });
    const newName = uniqueOrgName("snap");
    await renameOrganization(t.db, actorOf({ ...user, name: "Nora After" }), { org: { name: org.name }, newName });

    const { entries } = await listActivities(t.db, user.id, { name: newName });
    expect(entries.map((e) => [e.type, e.actorName])).toEqual([
      ["organization.renamed", "Nora After"],
      ["organization.created", "Nora Before"],
    ]);
    expect(entries.every((e) => e.actorEmail === user.email)).toBe(true);
  });

  it("an API token is recorded by id and name, and the sentence says so", async () => {
    const user = await seedUser(t.db);
    const org = await seedOrg(t.db, user);
    const tokenId = randomUUID();
    await renameOrganization(t.db, actorOf(user, { tokenId, tokenName: "deploy-bot" }), {
      org: { name: org.name },
      newName: uniqueOrgName("tok"),
    });

    const [, renamed] = await activitiesOf(t.db, org.id);
    expect(renamed).toMatchObject({ actorTokenId: tokenId, actorTokenName: "deploy-bot" });
    expect(describeActivity(renamed!)).toBe("Renamed the organization using API token deploy-bot");
  });

  it("a missing ip and user agent are stored as null; an overlong user agent is cut (500 characters)", async () => {
    const user = await seedUser(t.db);
    const bare = await createOrganization(t.db, { userId: user.id, name: user.name, email: user.email }, { name: uniqueOrgName("bare") });
    const long = await createOrganization(t.db, actorOf(user, { ip: "2001:db8::1", userAgent: "u".repeat(3000) }), {
      name: uniqueOrgName("long"),
    });

    expect((await activitiesOf(t.db, bare.id))[0]).toMatchObject({ ip: null, userAgent: null });
    expect((await activitiesOf(t.db, long.id))[0]).toMatchObject({ ip: "2001:db8::1", userAgent: "u".repeat(500) });
  });

  it.each([
    ["a forged +1+1", "+1+1"],
    ["the unknown placeholder", "unknown"],
    ["300 digits", "9".repeat(300)],
    ["a list", "1.2.3.4, 5.6.7.8"],
    ["markup", "<script>"],
  ])("stores only an IP address: %s is stored as null", async (_label, ip) => {
    const user = await seedUser(t.db);
    const org = await createOrganization(t.db, actorOf(user, { ip }), { name: uniqueOrgName("ip") });
    expect((await activitiesOf(t.db, org.id))[0]).toMatchObject({ ip: null });
  });

  it("stores an IPv4 address as given (positive control)", async () => {
    const user = await seedUser(t.db);
    const org = await createOrganization(t.db, actorOf(user, { ip: "203.0.113.9" }), { name: uniqueOrgName("ip") });
    expect((await activitiesOf(t.db, org.id))[0]).toMatchObject({ ip: "203.0.113.9" });
  });
});

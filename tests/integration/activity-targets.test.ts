import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { organizations } from "@/db/schema";
import { liveTargets } from "@/lib/activity/targets";
import { toActivityView } from "@/lib/activity/view";
import { createApp, deleteApp } from "@/lib/apps/apps";
import { inviteMembers, listPendingInvitations, removeInvitation } from "@/lib/invitations/invite";
import { removeMember } from "@/lib/orgs/members";

import { activitiesOf } from "../helpers/activity";
import { setupTestDatabase } from "../helpers/db";
import { actorOf, addMember, seedOrg, seedUser, uniqueEmail } from "../helpers/seed";

const t = setupTestDatabase();

describe("activity targets are linked only while they exist", () => {
  it("drops the link of a deleted app, a removed invitation and a removed member, and keeps the others", async () => {
    const [owner, member] = await Promise.all([seedUser(t.db), seedUser(t.db)]);
    const org = await seedOrg(t.db, owner);
    const actor = actorOf(owner);
    await addMember(t.db, member.id, org.id);
    // Room for two invitations next to two members (Starter has 3 seats).
    await t.db.update(organizations).set({ plan: "enterprise" }).where(eq(organizations.id, org.id));
    await createApp(t.db, actor, { org: { name: org.name }, name: "kept" });
    const gone = await createApp(t.db, actor, { org: { name: org.name }, name: "gone" });
    await deleteApp(t.db, actor, { org: { name: org.name }, appId: gone.id });
    await inviteMembers(t.db, actor, { org: { name: org.name }, emails: `${uniqueEmail("a")} ${uniqueEmail("b")}` });
    const [first] = await listPendingInvitations(t.db, owner.id, { name: org.name });
    await removeInvitation(t.db, actor, { org: { name: org.name }, invitationId: first!.id });
    await removeMember(t.db, actor, { org: { name: org.name }, userId: member.id });

    const entries = await activitiesOf(t.db, org.id);
    const live = await liveTargets(t.db, org.id, entries);
    const linked = (type: string, id: string) => {
      const entry = entries.find((e) => e.targetType === type && e.targetId === id)!;
      return toActivityView(entry, org.name, live).targetHref;
    };

    const kept = entries.find((e) => e.type === "app.created" && e.targetLabel === "kept")!;
    expect(linked("app", kept.targetId!)).toBe(`/orgs/${org.name}/apps`);
    expect(linked("app", gone.id)).toBeNull();
    expect(linked("invitation", first!.id)).toBeNull();
    const stillPending = entries.find((e) => e.type === "invitation.sent" && e.targetId !== first!.id)!;
    expect(linked("invitation", stillPending.targetId!)).toBe(`/orgs/${org.name}/invitations`);
    expect(linked("user", member.id)).toBeNull();
    expect(linked("organization", org.id)).toBe(`/orgs/${org.name}`);
    // Without a lookup (the REST API's raw view), links are not filtered.
    expect(
      toActivityView(
        entries.find((e) => e.targetId === gone.id)!,
        org.name,
      ).targetHref,
    ).toBe(`/orgs/${org.name}/apps`);
  });

  it("never reports another org's objects as live", async () => {
    const owner = await seedUser(t.db);
    const [orgA, orgB] = await Promise.all([seedOrg(t.db, owner), seedOrg(t.db, owner)]);
    const app = await createApp(t.db, actorOf(owner), { org: { name: orgA.name }, name: "a-app" });
    const live = await liveTargets(t.db, orgB.id, [{ targetType: "app", targetId: app.id }]);
    expect(live.has(`app:${app.id}`)).toBe(false);
    expect((await liveTargets(t.db, orgA.id, [{ targetType: "app", targetId: app.id }])).has(`app:${app.id}`)).toBe(true);
  });
});

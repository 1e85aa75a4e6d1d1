import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { invitations, organizations } from "@/db/schema";
import { env } from "@/lib/core/env";
import { inviteMembers, resendInvitation } from "@/lib/invitations/invite";

import { setupTestDatabase } from "../helpers/db";
import { expectAppError } from "../helpers/expect";
import { emailsTo } from "../helpers/mail";
import { awayFromWindowEdge } from "../helpers/rate-limit";
import { actorOf, seedOrg, seedUser, uniqueEmail } from "../helpers/seed";

/*
 * The daily invitation limit per org, lowered to 5 for this file. lib/core/env.ts parses
 * the environment once per test file, so it is set before anything here calls env()
 * (the first test checks it took effect). Orgs are on the enterprise plan (no seat
 * limit), so only the daily limit can refuse.
 */
const DAILY = 5;
const t = setupTestDatabase();

beforeAll(() => {
  vi.stubEnv("INVITES_PER_ORG_PER_DAY", String(DAILY));
});
afterAll(() => {
  vi.unstubAllEnvs();
});
// The counter lives in a fixed UTC-day window: do not straddle midnight.
beforeEach(() => awayFromWindowEdge(86400));

async function enterpriseOrg() {
  const owner = await seedUser(t.db);
  const org = await seedOrg(t.db, owner);
  await t.db.update(organizations).set({ plan: "enterprise", maxMembers: null }).where(eq(organizations.id, org.id));
  return { owner, org, actor: actorOf(owner) };
}

async function pendingCount(orgId: string) {
  const [row] = await t.db
    .select({ value: count() })
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.status, "pending")));
  return row?.value ?? 0;
}

const addresses = (n: number, prefix: string) => Array.from({ length: n }, () => uniqueEmail(prefix));

describe(`invitations per org per day (INVITES_PER_ORG_PER_DAY=${DAILY})`, () => {
  it("takes the lowered limit from the environment", () => {
    expect(env().INVITES_PER_ORG_PER_DAY).toBe(DAILY);
  });

  it("refuses the 6th invitation of the day (rate_limited), writes nothing for it; another org is unaffected", async () => {
    const { org, actor } = await enterpriseOrg();
    const outcomes = await inviteMembers(t.db, actor, { org: { name: org.name }, emails: addresses(DAILY, "daily").join(" ") });
    expect(outcomes.map((o) => o.status)).toEqual(Array(DAILY).fill("invited"));

    const sixth = uniqueEmail("sixth");
    const [outcome] = await inviteMembers(t.db, actor, { org: { name: org.name }, emails: sixth });

    expect(outcome?.status).toBe("rate_limited");
    expect(outcome?.message).toBe(`This organization sent its ${DAILY} invitations for today. Try again tomorrow.`);
    expect(await pendingCount(org.id)).toBe(DAILY);
    expect(await emailsTo(t.db, sixth)).toHaveLength(0);

    // Positive control: the limit is per organization.
    const other = await enterpriseOrg();
    expect((await inviteMembers(t.db, other.actor, { org: { name: other.org.name }, emails: uniqueEmail("other") }))[0]?.status).toBe(
      "invited",
    );
  });

  it("in one bulk invite of 7, invites 5 and answers rate_limited for the last 2", async () => {
    const { org, actor } = await enterpriseOrg();

    const outcomes = await inviteMembers(t.db, actor, { org: { name: org.name }, emails: addresses(7, "bulk").join(",") });

    expect(outcomes.map((o) => o.status)).toEqual([...Array(5).fill("invited"), "rate_limited", "rate_limited"]);
    expect(await pendingCount(org.id)).toBe(5);
  });

  it("counts resends: after 4 invitations one resend is allowed, the next is refused", async () => {
    const { org, actor } = await enterpriseOrg();
    await inviteMembers(t.db, actor, { org: { name: org.name }, emails: addresses(DAILY - 1, "resend").join(" ") });
    const rows = await t.db.select().from(invitations).where(eq(invitations.orgId, org.id));
    await t.db
      .update(invitations)
      .set({ lastSentAt: sql`now() - interval '1 hour'` })
      .where(eq(invitations.orgId, org.id));

    await resendInvitation(t.db, actor, { org: { name: org.name }, invitationId: rows[0]!.id });
    const error = await expectAppError(
      resendInvitation(t.db, actor, { org: { name: org.name }, invitationId: rows[1]!.id }),
      "rate_limited",
    );
    expect(error.message).toMatch(/Try again tomorrow/);
    expect(await emailsTo(t.db, rows[1]!.email, "invitation")).toHaveLength(1);
  });

  it("holds under parallel requests: 10 single invites at once, exactly 5 invited", async () => {
    const { org, actor } = await enterpriseOrg();

    const results = await Promise.all(
      addresses(10, "parallel").map((email) => inviteMembers(t.db, actor, { org: { name: org.name }, emails: email })),
    );

    const statuses = results.map((r) => r[0]?.status);
    expect(statuses.filter((s) => s === "invited")).toHaveLength(DAILY);
    expect(statuses.filter((s) => s === "rate_limited")).toHaveLength(10 - DAILY);
    expect(await pendingCount(org.id)).toBe(DAILY);
  });
});

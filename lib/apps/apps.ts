import "server-only";

import { and, asc, count, eq, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { apps, type App, type Organization } from "@/db/schema";
import { recordActivity } from "@/lib/activity/record";
import { billingNow } from "@/lib/billing/clock";
import { startAppUsage, stopAppUsage } from "@/lib/billing/usage";
import type { Actor } from "@/lib/core/actor";
import { answerUniqueViolation, AppError, nameTakenError } from "@/lib/core/errors";
import { uuidOrUndefined } from "@/lib/core/ids";
import { inTransaction } from "@/lib/core/transaction";
import { lockOrgForMember, requireMembership, type OrgRef } from "@/lib/orgs/access";
import { appHostLabel, appNameSchema, DNS_LABEL_MAX } from "@/lib/shared/names";
import { appLimit, appLimitMessage } from "@/lib/shared/plans";

import { hostLabelTaken, isHostLabelViolation, requireFreeHostLabel } from "./addresses";

const NOT_FOUND = "This app does not exist in this organization.";

function parseAppName(value: unknown, orgName: string): string {
  const parsed = appNameSchema.safeParse(value);
  const problem = parsed.success ? undefined : (parsed.error.issues[0]?.message ?? "Enter a valid name.");
  if (problem) throw new AppError("validation", problem, { name: [problem] });
  const name = parsed.data!;
  if (name.length + 1 + orgName.length > DNS_LABEL_MAX) {
    const message = `The app's address ${name}-${orgName} would pass ${DNS_LABEL_MAX} characters. Use at most ${DNS_LABEL_MAX - 1 - orgName.length} characters.`;
    throw new AppError("validation", message, { name: [message] });
  }
  return name;
}

const idOf = uuidOrUndefined;

/** A unique violation is the name in this org or, a race lost to another org, the address. */
const withTakenName = <T>(name: string, hostLabel: string, work: () => Promise<T>) =>
  answerUniqueViolation(work, (error) => (isHostLabelViolation(error) ? hostLabelTaken(hostLabel) : nameTakenError("app", name)));

export async function listApps(db: Db, userId: string, orgRef: OrgRef): Promise<App[]> {
  const { org } = await requireMembership(db, userId, orgRef);
  return db.select().from(apps).where(eq(apps.orgId, org.id)).orderBy(asc(apps.name)).limit(500);
}

export async function getApp(db: Db, userId: string, orgRef: OrgRef, appId: unknown): Promise<App> {
  const { org } = await requireMembership(db, userId, orgRef);
  const id = idOf(appId);
  const [app] = id
    ? await db
        .select()
        .from(apps)
        .where(and(eq(apps.id, id), eq(apps.orgId, org.id)))
    : [];
  if (!app) throw new AppError("not_found", NOT_FOUND);
  return app;
}

export async function createApp(db: Db, actor: Actor, input: { org: OrgRef; name: unknown }): Promise<App> {
  return inTransaction(db, async (tx) => {
    const { org } = await lockOrgForMember(tx, actor.userId, input.org, "resources.write");
    const name = parseAppName(input.name, org.name);
    await assertAppAvailable(tx, org);
    const hostLabel = appHostLabel(name, org.name);
    await requireFreeHostLabel(tx, hostLabel, { orgId: org.id, sameOrgAnswer: () => nameTakenError("app", name) });
    const app = await withTakenName(name, hostLabel, async () => {
      const [row] = await tx
        .insert(apps)
        .values({ orgId: org.id, name, hostLabel, createdBy: actor.userId, createdByName: actor.name })
        .returning();
      return row!;
    });
    await startAppUsage(tx, { orgId: org.id, appId: app.id, at: await billingNow(tx) });
    await recordActivity(tx, { orgId: org.id, actor, type: "app.created", target: { type: "app", id: app.id, label: name } });
    return app;
  });
}

export async function renameApp(db: Db, actor: Actor, input: { org: OrgRef; appId: unknown; name: unknown }): Promise<App> {
  return inTransaction(db, async (tx) => {
    const { org } = await lockOrgForMember(tx, actor.userId, input.org, "resources.write");
    const name = parseAppName(input.name, org.name);
    const id = idOf(input.appId);
    const [current] = id
      ? await tx
          .select()
          .from(apps)
          .where(and(eq(apps.id, id), eq(apps.orgId, org.id)))
      : [];
    if (!current) throw new AppError("not_found", NOT_FOUND);
    if (current.name === name) return current;
    const hostLabel = appHostLabel(name, org.name);
    await requireFreeHostLabel(tx, hostLabel, { orgId: org.id, exceptAppId: current.id, sameOrgAnswer: () => nameTakenError("app", name) });
    const renamed = await withTakenName(name, hostLabel, async () => {
      const [row] = await tx
        .update(apps)
        .set({ name, hostLabel, updatedAt: sql`now()` })
        .where(and(eq(apps.id, current.id), eq(apps.orgId, org.id)))
        .returning();
      return row!;
    });
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: "app.updated",
      target: { type: "app", id: current.id, label: name },
      metadata: { from: current.name, to: name },
    });
    return renamed;
  });
}

export async function deleteApp(db: Db, actor: Actor, input: { org: OrgRef; appId: unknown }): Promise<{ name: string }> {
  return inTransaction(db, async (tx) => {
    const { org } = await lockOrgForMember(tx, actor.userId, input.org, "resources.write");
    const id = idOf(input.appId);
    const [deleted] = id
      ? await tx
          .delete(apps)
          .where(and(eq(apps.id, id), eq(apps.orgId, org.id)))
          .returning()
      : [];
    if (!deleted) throw new AppError("not_found", NOT_FOUND);
    await stopAppUsage(tx, { appId: deleted.id, at: await billingNow(tx) });
    await recordActivity(tx, { orgId: org.id, actor, type: "app.deleted", target: { type: "app", id: deleted.id, label: deleted.name } });
    return { name: deleted.name };
  });
}

/** Refuses an app past the plan's limit (Starter's while the org is past due). The caller holds the org row lock. */
async function assertAppAvailable(tx: Db, org: Organization): Promise<void> {
  const limit = appLimit(org);
  if (limit === null) return;
  const [row] = await tx.select({ value: count() }).from(apps).where(eq(apps.orgId, org.id));
  if ((row?.value ?? 0) >= limit) throw new AppError("limit_reached", appLimitMessage(limit, org));
}

import { and, eq, inArray, ne, sql } from "drizzle-orm";

import type { Db } from "@/db";
import { apps } from "@/db/schema";
import { env } from "@/lib/core/env";
import { AppError, pgConstraintName, pgErrorCode, UNIQUE_VIOLATION } from "@/lib/core/errors";
import { appHostLabel, DNS_LABEL_MAX } from "@/lib/shared/names";

/**
 * Default app addresses, `<app>-<org>.<APPS_DOMAIN>`, kept in apps.host_label under
 * a global unique index: the composition alone is ambiguous (app `api` in org
 * `shop-prod` and app `api-shop` in org `prod`). Every write that changes a label
 * checks it first, for a clear answer; the index settles races.
 */
const HOST_LABEL_INDEX = "apps_host_label_unique";

const addressOf = (label: string) => `${label}.${env().APPS_DOMAIN}`;

function addressTaken(label: string): AppError {
  const message = `The address ${addressOf(label)} is already used by another app. Choose another name.`;
  return new AppError("conflict", message, { name: [message] });
}

function renameTakesAddress(appName: string, label: string, newOrgName: string): AppError {
  const message = `Renaming the organization to ${newOrgName} would give its app ${appName} the address ${addressOf(label)}, which another app already uses. Rename or delete ${appName} first, or choose another name.`;
  return new AppError("conflict", message, { name: [message] });
}

/** Whether `error` is the host-label index refusing a duplicate (a race lost to another request). */
export function isHostLabelViolation(error: unknown): boolean {
  return pgErrorCode(error) === UNIQUE_VIOLATION && pgConstraintName(error) === HOST_LABEL_INDEX;
}

/** The answer to an insert or update refused by the host-label index. */
export const hostLabelTaken = addressTaken;

/**
 * Refuses a label another app has. `sameOrgAnswer` is what to say when that app is
 * in the same org (the same name, then: "an app named X already exists").
 */
export async function requireFreeHostLabel(
  tx: Db,
  label: string,
  options: { orgId: string; exceptAppId?: string; sameOrgAnswer: () => AppError },
) {
  const [taken] = await tx
    .select({ orgId: apps.orgId })
    .from(apps)
    .where(and(eq(apps.hostLabel, label), options.exceptAppId ? ne(apps.id, options.exceptAppId) : undefined));
  if (!taken) return;
  throw taken.orgId === options.orgId ? options.sameOrgAnswer() : addressTaken(label);
}

/**
 * Moves every app of the org to `<app>-<newOrgName>`, in the org rename's
 * transaction (the org row is locked). Refuses, naming the app, when an address
 * would pass 63 characters or is already another org's app's.
 */
export async function moveAppAddresses(tx: Db, orgId: string, newOrgName: string): Promise<void> {
  const orgApps = await tx.select({ name: apps.name }).from(apps).where(eq(apps.orgId, orgId)).orderBy(apps.name);
  if (orgApps.length === 0) return;
  const tooLong = orgApps.find((app) => appHostLabel(app.name, newOrgName).length > DNS_LABEL_MAX);
  if (tooLong) {
    const label = appHostLabel(tooLong.name, newOrgName);
    const message = `With the name ${newOrgName}, the app ${tooLong.name} would have the address ${label} (${label.length} characters), but an address holds at most ${DNS_LABEL_MAX}. Rename ${tooLong.name} first, or choose a shorter name.`;
    throw new AppError("validation", message, { name: [message] });
  }
  await refuseTakenAddresses(tx, orgId, orgApps, newOrgName);
  try {
    // A savepoint, so that losing a race still lets us say which app it was.
    await tx.transaction(async (savepoint) => {
      // Two steps: within one statement an app's new label may be another of the org's old ones.
      await savepoint.update(apps).set({ hostLabel: null }).where(eq(apps.orgId, orgId));
      await savepoint
        .update(apps)
        .set({ hostLabel: sql`${apps.name} || '-' || ${newOrgName}::text` })
        .where(eq(apps.orgId, orgId));
    });
  } catch (error) {
    if (!isHostLabelViolation(error)) throw error;
    // Another org's app took one of the addresses since the check, and has committed: name it.
    await refuseTakenAddresses(tx, orgId, orgApps, newOrgName);
    throw new AppError("conflict", `Another app took one of the new addresses meanwhile. Try again, or choose another name.`);
  }
}

async function refuseTakenAddresses(tx: Db, orgId: string, orgApps: { name: string }[], newOrgName: string) {
  const labels = orgApps.map((app) => appHostLabel(app.name, newOrgName));
  const [clash] = await tx
    .select({ hostLabel: apps.hostLabel })
    .from(apps)
    .where(and(inArray(apps.hostLabel, labels), ne(apps.orgId, orgId)))
    .limit(1);
  if (!clash?.hostLabel) return;
  const app = orgApps.find((candidate) => appHostLabel(candidate.name, newOrgName) === clash.hostLabel)!;
  throw renameTakesAddress(app.name, clash.hostLabel, newOrgName);
}

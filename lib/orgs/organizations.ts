import "server-only";

import { and, eq, sql } from "drizzle-orm";
import { createElement } from "react";

import type { Db } from "@/db";
import { memberships, organizations, orgNameHistory, users, type Organization } from "@/db/schema";
import OrganizationDeleted, { organizationDeletedSubject } from "@/emails/organization-deleted";
import { recordActivity } from "@/lib/activity/record";
import { moveAppAddresses } from "@/lib/apps/addresses";
import { requireVerifiedEmail } from "@/lib/auth/verified-email";
import { queueCustomerDeletion } from "@/lib/billing/provider-jobs";
import type { Actor } from "@/lib/core/actor";
import { answerUniqueViolation, AppError, nameTakenError } from "@/lib/core/errors";
import { parseFieldOrThrow } from "@/lib/core/parse";
import { inTransaction } from "@/lib/core/transaction";
import { appUrl } from "@/lib/core/urls";
import { queueEmail } from "@/lib/mail/send";
import { orgNameSchema } from "@/lib/shared/names";

import { lockOrgForMember, orgByName, requireMembership, type OrgRef } from "./access";
import { addMemberWithinOrgLimit } from "./memberships";

function parseOrgName(value: unknown, field = "name"): string {
  return parseFieldOrThrow(orgNameSchema, value, field);
}

const takenError = (name: string, field = "name") => nameTakenError("organization", name, field);

/** Maps the unique-name index violation (a race lost to another request) to the user's answer. */
const withNameConflict = <T>(name: string, field: string, work: () => Promise<T>) =>
  answerUniqueViolation(work, () => takenError(name, field));

/** A name is taken by a live org; a former name is free to take (its redirect then stops). */
export async function isOrgNameTaken(db: Db, name: string): Promise<boolean> {
  const [row] = await db.select({ id: organizations.id }).from(organizations).where(orgByName(name));
  return Boolean(row);
}

/** For the form's "is it free?" hint before submit; the server checks again on submit. */
export async function checkOrgName(db: Db, name: unknown): Promise<{ ok: boolean; message?: string }> {
  const parsed = orgNameSchema.safeParse(name);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message };
  if (await isOrgNameTaken(db, parsed.data)) return { ok: false, message: `The name ${parsed.data} is already taken.` };
  return { ok: true };
}

async function claimName(tx: Db, name: string) {
  // Taking a former name of another org ends that org's redirect.
  await tx.delete(orgNameHistory).where(sql`lower(${orgNameHistory.oldName}) = lower(${name})`);
}

/**
 * Creates an organization with the actor as its first member, within the actor's
 * organization limit, and records it in the new org's activity stream.
 */
export async function createOrganization(db: Db, actor: Actor, input: { name: unknown }): Promise<Organization> {
  const name = parseOrgName(input.name);
  return withNameConflict(name, "name", () =>
    inTransaction(db, async (tx) => {
      await requireVerifiedEmail(tx, actor.userId, "create an organization");
      if (await isOrgNameTaken(tx, name)) throw takenError(name);
      await claimName(tx, name);
      const [org] = await tx.insert(organizations).values({ name }).returning();
      if (!org) throw new Error("organization insert returned nothing");
      await addMemberWithinOrgLimit(tx, actor.userId, org.id, "owner");
      await tx.update(users).set({ lastOrgId: org.id }).where(eq(users.id, actor.userId));
      await recordActivity(tx, {
        orgId: org.id,
        actor,
        type: "organization.created",
        target: { type: "organization", id: org.id, label: name },
      });
      return org;
    }),
  );
}

/** Renames an org; the old name keeps redirecting to it until another org takes it. */
export async function renameOrganization(db: Db, actor: Actor, input: { org: OrgRef; newName: unknown }): Promise<Organization> {
  const newName = parseOrgName(input.newName);
  return withNameConflict(newName, "name", () =>
    inTransaction(db, async (tx) => {
      const { org } = await lockOrgForMember(tx, actor.userId, input.org, "org.rename");
      if (org.name === newName) return org;
      if (org.name.toLowerCase() !== newName.toLowerCase() && (await isOrgNameTaken(tx, newName))) throw takenError(newName);
      await claimName(tx, newName);
      const [renamed] = await tx.update(organizations).set({ name: newName }).where(eq(organizations.id, org.id)).returning();
      if (!renamed) throw new AppError("not_found", "This organization no longer exists.");
      // Its apps' default addresses (<app>-<org>) move with it, or the rename is refused.
      await moveAppAddresses(tx, org.id, newName);
      await tx.insert(orgNameHistory).values({ oldName: org.name, orgId: org.id });
      await recordActivity(tx, {
        orgId: org.id,
        actor,
        type: "organization.renamed",
        target: { type: "organization", id: org.id, label: newName },
        metadata: { from: org.name, to: newName },
      });
      return renamed;
    }),
  );
}

/** The org's current name when `oldName` is a former name of an org the user belongs to. */
export async function findRenamedOrg(db: Db, userId: string, oldName: string): Promise<string | undefined> {
  if (oldName.length > 100) return undefined;
  const [row] = await db
    .select({ name: organizations.name })
    .from(orgNameHistory)
    .innerJoin(organizations, eq(organizations.id, orgNameHistory.orgId))
    .innerJoin(memberships, and(eq(memberships.orgId, organizations.id), eq(memberships.userId, userId)))
    .where(sql`lower(${orgNameHistory.oldName}) = lower(${oldName})`);
  return row?.name;
}

/**
 * Deletes the org and everything it owns (memberships, activity, tokens,
 * resources, billing: all cascade) in one transaction, after the name was typed
 * to confirm. Every former member is e-mailed, and the org's customer at the
 * payment provider is deleted, by jobs queued in the same transaction.
 */
export async function deleteOrganization(db: Db, actor: Actor, input: { org: OrgRef }): Promise<{ name: string }> {
  return inTransaction(db, async (tx) => {
    const { org } = await lockOrgForMember(tx, actor.userId, input.org, "org.delete");
    const members = await tx
      .select({ email: users.email, name: users.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.orgId, org.id));
    // No activity entry: the org's whole stream goes with it (the e-mails below are the record).
    await tx.delete(organizations).where(eq(organizations.id, org.id));
    // Its customer at the payment provider goes too, with the saved cards.
    if (org.providerCustomerId) await queueCustomerDeletion(tx, org.providerCustomerId);
    for (const member of members) await queueOrganizationDeletedEmail(tx, { member, orgName: org.name, deletedBy: actor.name });
    return { name: org.name };
  });
}

async function queueOrganizationDeletedEmail(
  tx: Db,
  { member, orgName, deletedBy }: { member: { email: string; name: string }; orgName: string; deletedBy: string },
) {
  await queueEmail(tx, {
    template: "organization-deleted",
    to: member.email,
    subject: organizationDeletedSubject(orgName),
    react: createElement(OrganizationDeleted, { memberName: member.name, orgName, deletedBy, consoleUrl: appUrl("/") }),
  });
}

export interface OrgOverview {
  org: Organization;
  memberCount: number;
}

export async function getOrgOverview(db: Db, userId: string, orgRef: OrgRef): Promise<OrgOverview> {
  const { org } = await requireMembership(db, userId, orgRef);
  // The org row's kept count (migration 0016): no count of the members per page view.
  return { org, memberCount: org.memberCount };
}

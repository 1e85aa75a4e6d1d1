import "server-only";

import { and, asc, eq, isNull } from "drizzle-orm";
import { createElement } from "react";

import type { Db } from "@/db";
import { memberships, organizations, users } from "@/db/schema";
import TwoFactorRequired, { twoFactorRequiredSubject } from "@/emails/two-factor-required";
import { recordActivity } from "@/lib/activity/record";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { inTransaction } from "@/lib/core/transaction";
import { appUrl } from "@/lib/core/urls";
import { queueEmail } from "@/lib/mail/send";

import { lockOrgForMember, requireMembership, type OrgRef } from "./access";

export interface NonCompliantMember {
  userId: string;
  name: string;
  email: string;
}

/** Members of the org without two-factor, by name: who the policy blocks (or would block). */
export async function listMembersWithoutTwoFactor(db: Db, userId: string, orgRef: OrgRef): Promise<NonCompliantMember[]> {
  const { org } = await requireMembership(db, userId, orgRef);
  return membersWithoutTwoFactor(db, org.id);
}

function membersWithoutTwoFactor(db: Db, orgId: string): Promise<NonCompliantMember[]> {
  return db
    .select({ userId: users.id, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), isNull(users.twoFactorEnabledAt)))
    .orderBy(asc(users.name), asc(users.email));
}

/**
 * The owners' policy "require two-factor". Turning it on needs two-factor on the
 * owner's own account (or they would lock themselves out), e-mails every member
 * without it and returns them; either change is one activity entry. Setting what
 * is already set changes nothing and records nothing.
 */
export async function setTwoFactorPolicy(
  db: Db,
  actor: Actor,
  input: { org: OrgRef; required: unknown },
): Promise<{ required: boolean; changed: boolean; nonCompliant: NonCompliantMember[] }> {
  if (typeof input.required !== "boolean") throw new AppError("validation", "Say whether two-factor is required.");
  const required = input.required;
  return inTransaction(db, async (tx) => {
    const { org } = await lockOrgForMember(tx, actor.userId, input.org, "org.two_factor_policy");
    if (org.requireTwoFactor === required) {
      return { required, changed: false, nonCompliant: required ? await membersWithoutTwoFactor(tx, org.id) : [] };
    }
    if (required) {
      const [self] = await tx.select({ enabledAt: users.twoFactorEnabledAt }).from(users).where(eq(users.id, actor.userId));
      if (!self?.enabledAt) {
        throw new AppError("conflict", "Turn on two-factor authentication for your own account first (Account → Security).");
      }
    }
    await tx.update(organizations).set({ requireTwoFactor: required }).where(eq(organizations.id, org.id));
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: required ? "organization.two_factor_required" : "organization.two_factor_not_required",
      target: { type: "organization", id: org.id, label: org.name },
    });
    if (!required) return { required, changed: true, nonCompliant: [] };
    const nonCompliant = await membersWithoutTwoFactor(tx, org.id);
    for (const member of nonCompliant) {
      await queueEmail(tx, {
        template: "two-factor-required",
        to: member.email,
        subject: twoFactorRequiredSubject(org.name),
        react: createElement(TwoFactorRequired, {
          name: member.name,
          orgName: org.name,
          requiredBy: actor.name,
          securityUrl: appUrl("/account/security"),
        }),
      });
    }
    return { required, changed: true, nonCompliant };
  });
}

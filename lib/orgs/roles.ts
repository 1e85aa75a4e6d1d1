import "server-only";

import { and, eq } from "drizzle-orm";
import { createElement } from "react";

import type { Db } from "@/db";
import { memberships } from "@/db/schema";
import RoleChanged, { roleChangedSubject } from "@/emails/role-changed";
import { recordActivity } from "@/lib/activity/record";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { inTransaction } from "@/lib/core/transaction";
import { appUrl } from "@/lib/core/urls";
import { queueEmail } from "@/lib/mail/send";
import { assignableRoles, isRole, LAST_OWNER_MESSAGE, ROLE_LABELS, ROLES, type Role } from "@/lib/shared/roles";

import { lockOrgForMember, requirePermission, type OrgRef } from "./access";
import { memberOf } from "./members";
import { countOwners } from "./memberships";

export interface RoleChange {
  userId: string;
  name: string;
  email: string;
  from: Role;
  to: Role;
}

/** Why `actorRole` may not give `role` (admins give roles up to admin; only owners make owners). */
export function roleGrantRefusal(actorRole: Role, role: Role): string | undefined {
  if (assignableRoles(actorRole).includes(role)) return undefined;
  return role === "owner" ? "Only owners can make someone an owner." : "Only owners and admins can give roles.";
}

export function parseRole(value: unknown): Role {
  if (isRole(value)) return value;
  const message = `Choose a role: ${ROLES.map((role) => ROLE_LABELS[role]).join(", ")}.`;
  throw new AppError("validation", message, { role: [message] });
}

/**
 * Changes a member's role, under the org row lock like every membership change:
 * two owners demoting each other at once serialize, and the second finds itself
 * no longer an owner (or the last one). Takes effect at once for pages, actions
 * and API tokens, which read the role on every use. The member is e-mailed.
 */
export async function changeMemberRole(
  db: Db,
  actor: Actor,
  input: { org: OrgRef; userId: unknown; role: unknown },
): Promise<RoleChange & { orgName: string }> {
  const to = parseRole(input.role);
  const result = await inTransaction(db, async (tx) => {
    const { org, role: actorRole } = await lockOrgForMember(tx, actor.userId, input.org, "members.change_role");
    const target = await memberOf(tx, org.id, input.userId);
    if (!target) throw new AppError("not_found", "This person is not a member of the organization.");
    const targetId = target.userId;
    const unchanged: RoleChange = { userId: targetId, name: target.name, email: target.email, from: to, to };
    if (target.role === to) return { change: unchanged, changed: false, orgName: org.name };
    // Demoting an owner is an owner's call, and never leaves the org without one.
    if (target.role === "owner") {
      requirePermission(actorRole, "owners.manage");
      if ((await countOwners(tx, org.id)) <= 1) throw new AppError("conflict", LAST_OWNER_MESSAGE);
    }
    const refusal = roleGrantRefusal(actorRole, to);
    if (refusal) throw new AppError("forbidden", refusal);
    await tx
      .update(memberships)
      .set({ role: to })
      .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, targetId)));
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: "member.role_changed",
      target: { type: "user", id: targetId, label: target.email },
      metadata: { name: target.name, from: target.role, to },
    });
    const change: RoleChange = { userId: targetId, name: target.name, email: target.email, from: target.role, to };
    await queueEmail(tx, {
      template: "role-changed",
      to: change.email,
      subject: roleChangedSubject(org.name, change.to),
      react: createElement(RoleChanged, {
        memberName: change.name,
        orgName: org.name,
        changedBy: actor.name,
        from: change.from,
        to: change.to,
        orgUrl: appUrl(`/orgs/${org.name}`),
      }),
    });
    return { change, changed: true, orgName: org.name };
  });
  // Giving the role a member already has changes nothing and tells nobody.
  const { change, orgName } = result;
  return { ...change, orgName };
}

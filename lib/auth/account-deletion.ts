import "server-only";

import { and, asc, eq, inArray } from "drizzle-orm";
import { createElement } from "react";

import type { Db } from "@/db";
import { memberships, organizations, users } from "@/db/schema";
import AccountDeleted, { accountDeletedSubject } from "@/emails/account-deleted";
import { recordActivity } from "@/lib/activity/record";
import type { Actor } from "@/lib/core/actor";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { parseOrThrow } from "@/lib/core/parse";
import { describeRetryAfter } from "@/lib/core/rate-limit";
import { inTransaction } from "@/lib/core/transaction";
import { queueEmail } from "@/lib/mail/send";
import { countMembers, countOwners } from "@/lib/orgs/memberships";
import { deleteOrganization } from "@/lib/orgs/organizations";
import { deleteAccountSchema } from "@/lib/shared/account-lifecycle";

import { verifyPassword } from "./passwords";
import { countPasswordGuess } from "./sign-in";
import { consumeSecondFactor, countCodeGuess, WRONG_CODE } from "./two-factor";

/**
 * Checks the second factor of a user who has one, throwing an AppError (field
 * `code`) when the code is missing or wrong. The default is the user's own
 * two-factor (lib/auth/two-factor.ts): a current code or an unused recovery code,
 * counted against the code-attempt limit like sign-in.
 */
export type VerifySecondFactor = (db: Db, userId: string, code: string | undefined) => Promise<void>;

const userSecondFactor: VerifySecondFactor = async (db, userId, code) => {
  const [user] = await db
    .select({ id: users.id, twoFactorSecret: users.twoFactorSecret, twoFactorEnabledAt: users.twoFactorEnabledAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!user?.twoFactorEnabledAt) return;
  await countCodeGuess(db, userId);
  if (!code || !(await consumeSecondFactor(db, user, code))) {
    throw new AppError("validation", "Check the highlighted fields.", {
      code: [code ? WRONG_CODE : "Enter a code from your authenticator app, or a recovery code."],
    });
  }
};

export function lastOwnerOfMessage(orgNames: string[]): string {
  const list = orgNames.join(", ");
  const them = orgNames.length === 1 ? "it" : "them";
  return (
    `You are the last owner of ${list}, which ${orgNames.length === 1 ? "has" : "have"} other members. ` +
    `Make another member an owner, or delete ${them}, before deleting your account.`
  );
}

export interface DeletedAccount {
  email: string;
  /** Orgs the user was the only member of: deleted with the account (the last-member rule). */
  deletedOrgs: string[];
  /** Orgs the user left (a `member.left` entry in each). */
  leftOrgs: string[];
}

/**
 * Deletes the actor's account, in one transaction. Needs the current password
 * (counted with sign-in attempts) and, with two-factor, a code (`verifySecondFactor`).
 * Refused, naming the orgs, while the user is the last owner of an org that has
 * other members. Orgs where the user is the only member are deleted as
 * `deleteOrganization` deletes them (its e-mails and the payment provider's
 * customer deletion are queued); from the others the user leaves, recorded as
 * `member.left`. Then the user row goes: sessions, links, memberships and API
 * tokens cascade with it (tokens also stop at once, their membership being gone);
 * activity entries stay, with their snapshot of the name and e-mail
 * (`activities.actor_user_id` has no foreign key). A last e-mail to the address
 * confirms; the address is then free to sign up again.
 */
export async function deleteAccount(
  db: Db,
  actor: Actor,
  input: { currentPassword: unknown; code?: unknown },
  options: { verifySecondFactor?: VerifySecondFactor } = {},
): Promise<DeletedAccount> {
  const { currentPassword, code } = parseOrThrow(deleteAccountSchema, input);
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user) throw new AppError("unauthorized", "Sign in again to continue.");
  const guesses = await countPasswordGuess(db, user.email);
  if (!guesses.allowed) {
    throw new AppError("rate_limited", `Too many password attempts. Try again ${describeRetryAfter(guesses.retryAfterSeconds)}.`);
  }
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new AppError("validation", "Check the highlighted fields.", { currentPassword: ["Your current password is not correct."] });
  }
  await (options.verifySecondFactor ?? userSecondFactor)(db, user.id, code);
  const self: Actor = { ...actor, name: user.name, email: user.email };

  return inTransaction(db, async (tx) => {
    // Lock order (docs/architecture.md): the org rows first, by id, then the user row.
    const orgIds = await membershipOrgIds(tx, user.id);
    const orgs =
      orgIds.length === 0
        ? []
        : await tx.select().from(organizations).where(inArray(organizations.id, orgIds)).orderBy(asc(organizations.id)).for("update");
    const [locked] = await tx.select({ email: users.email }).from(users).where(eq(users.id, user.id)).for("update");
    if (!locked) throw new AppError("unauthorized", "Sign in again to continue.");
    // Joined an org between the first read and the locks: its row is not locked, so try again.
    if ((await membershipOrgIds(tx, user.id)).join() !== orgIds.join()) {
      throw new AppError("conflict", "Your organizations changed while deleting your account. Try again.");
    }

    const toDelete: typeof orgs = [];
    const toLeave: typeof orgs = [];
    const lastOwnerOf: string[] = [];
    for (const org of orgs) {
      const [membership] = await tx
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, user.id)));
      if ((await countMembers(tx, org.id)) <= 1) toDelete.push(org);
      else if (membership?.role === "owner" && (await countOwners(tx, org.id)) <= 1) lastOwnerOf.push(org.name);
      else toLeave.push(org);
    }
    if (lastOwnerOf.length > 0) throw new AppError("conflict", lastOwnerOfMessage(lastOwnerOf.sort()));

    for (const org of toDelete) await deleteOrganization(tx, self, { org: { id: org.id } });
    for (const org of toLeave) {
      await tx.delete(memberships).where(and(eq(memberships.orgId, org.id), eq(memberships.userId, user.id)));
      await recordActivity(tx, {
        orgId: org.id,
        actor: self,
        type: "member.left",
        target: { type: "user", id: user.id, label: user.email },
        metadata: { reason: "account_deleted" },
      });
    }
    const result: DeletedAccount = {
      email: locked.email,
      deletedOrgs: toDelete.map((org) => org.name).sort(),
      leftOrgs: toLeave.map((org) => org.name).sort(),
    };
    await queueEmail(tx, {
      template: "account-deleted",
      to: locked.email,
      subject: accountDeletedSubject(),
      react: createElement(AccountDeleted, { name: user.name, ...result, supportEmail: env().SUPPORT_EMAIL }),
    });
    await tx.delete(users).where(eq(users.id, user.id));
    return result;
  });
}

async function membershipOrgIds(tx: Db, userId: string): Promise<string[]> {
  const rows = await tx
    .select({ orgId: memberships.orgId })
    .from(memberships)
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.orgId));
  return rows.map((row) => row.orgId);
}

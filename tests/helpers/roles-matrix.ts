import { and, eq, sql } from "drizzle-orm";

import type { Db } from "@/db/client";
import { invitations, memberships, users, type Invoice, type Organization } from "@/db/schema";
import { exportActivitiesCsv } from "@/lib/activity/export";
import { listActivities } from "@/lib/activity/feed";
import { createApiToken, deleteApiToken, listApiTokens } from "@/lib/api-tokens/api-tokens";
import { createApp, deleteApp, getApp, listApps, renameApp } from "@/lib/apps/apps";
import { readBillingDetails, updateBillingDetails } from "@/lib/billing/billing-details";
import { getBillingSummary, getPlanSchedule, getUsageThisPeriod } from "@/lib/billing/billing-view";
import { readCheckout } from "@/lib/billing/checkouts";
import { requestEnterprisePlan } from "@/lib/billing/enterprise";
import { issueInvoice, listInvoices, singleLine } from "@/lib/billing/invoices";
import { getBillingOverview } from "@/lib/billing/overview";
import { removePaymentMethod, replacePaymentMethod } from "@/lib/billing/payment-methods";
import { changePlan } from "@/lib/billing/plan-change";
import { testProvider } from "@/lib/billing/provider";
import { advanceTestClock } from "@/lib/billing/test-clock";
import { inTransaction } from "@/lib/core/transaction";
import { inviteMembers, listPendingInvitations, removeInvitation, resendInvitation } from "@/lib/invitations/invite";
import { listMembers, removeMember } from "@/lib/orgs/members";
import { leaveOrganization } from "@/lib/orgs/memberships";
import { deleteOrganization, getOrgOverview, renameOrganization } from "@/lib/orgs/organizations";
import { changeMemberRole } from "@/lib/orgs/roles";
import { getSeatUsage } from "@/lib/orgs/seats";
import { listMembersWithoutTwoFactor, setTwoFactorPolicy } from "@/lib/orgs/two-factor-policy";
import { createSecret, deleteSecret, getSecret, listSecrets, revealSecret, updateSecret } from "@/lib/secrets/secrets";
import { PERMISSIONS, ROLES, type Permission, type Role } from "@/lib/shared/roles";

import { seedApiToken } from "./api";
import { billingInput, payTest } from "./billing";
import { actorOf, addMember, seedOrg, seedUser, uniqueEmail, uniqueOrgName, type SeededUser } from "./seed";

/*
 * The authorization matrix: every operation a person can start (each server
 * action's lib function, the routes that are not actions, the reads pages make,
 * every REST endpoint), with the permissions it needs. The expected answer of
 * each (operation, actor) cell is derived from PERMISSIONS in lib/shared/roles.ts,
 * never written by hand: tests/integration/roles-matrix.test.ts runs the cells,
 * tests/unit/roles-matrix-coverage.test.ts checks that the tables cover every
 * action in actions/*.ts and every endpoint in API_ENDPOINTS.
 */

/** Who acts: someone who never belonged to the org, a member removed from it, and one member per role. */
export const ACTORS = ["non-member", "removed", ...ROLES] as const;
export type ActorKind = (typeof ACTORS)[number];

export type Expected = "not_found" | "forbidden" | "allowed";

/** Whether `role` has `permission`, read from the one table. */
export function roleHas(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission].roles as readonly Role[]).includes(role);
}

/** The answer a cell must get: non-members (never or no longer) not_found; a role without every permission forbidden. */
export function expectedAnswer(actor: ActorKind, needs: readonly Permission[]): Expected {
  if (actor === "non-member" || actor === "removed") return "not_found";
  return needs.every((permission) => roleHas(actor, permission)) ? "allowed" : "forbidden";
}

/** The first permission of `needs` that `role` lacks (the one lib/ checks first, as `needs` lists them in lib's order). */
export function firstMissing(role: Role, needs: readonly Permission[]): Permission | undefined {
  return needs.find((permission) => !roleHas(role, permission));
}

/** The users every cell draws on; each cell has an org of its own, so one set serves the whole file. */
export interface Pool {
  /** Creates every cell's org, so it is its owner (and the actor of the "owner" cells). */
  owner: SeededUser;
  /** A second owner, added where the owner leaves or an owner is the target. */
  coOwner: SeededUser;
  /** A plain member with an API token of their own: the target of member operations. */
  bystander: SeededUser;
  admin: SeededUser;
  member: SeededUser;
  billing: SeededUser;
  viewer: SeededUser;
  /** Joins each cell's org as an admin and is removed before the cell acts. */
  removed: SeededUser;
  /** Never a member of any cell's org. */
  outsider: SeededUser;
}

export async function seedPool(db: Db): Promise<Pool> {
  const names = ["owner", "coOwner", "bystander", "admin", "member", "billing", "viewer", "removed", "outsider"] as const;
  const seeded = await Promise.all(
    names.map((name) => seedUser(db, { name: `Matrix ${name}`, email: uniqueEmail(`matrix-${name.toLowerCase()}`) })),
  );
  // Each of them joins one org per cell: lift the per-user organization limit (as support can).
  for (const user of seeded) await db.update(users).set({ maxOrgs: 100_000 }).where(eq(users.id, user.id));
  return Object.fromEntries(names.map((name, i) => [name, seeded[i]!])) as unknown as Pool;
}

/** One cell's world: a fresh org of the pool's owner, and the acting user in it as `kind` says. */
export interface Scene {
  db: Db;
  pool: Pool;
  org: Organization;
  kind: ActorKind;
  /** The acting user (the outsider for "non-member"). */
  user: SeededUser;
  /** Their role while a member ("removed": the role they had). */
  role: Role;
}

/** The org and the actor's membership; `finish` then removes the "removed" actor (after the case's own setup). */
export async function buildScene(db: Db, pool: Pool, kind: ActorKind): Promise<Scene & { finish(): Promise<void> }> {
  const org = await seedOrg(db, pool.owner, uniqueOrgName("matrix"));
  let user: SeededUser;
  let role: Role;
  if (kind === "owner") [user, role] = [pool.owner, "owner"];
  else if (kind === "non-member") [user, role] = [pool.outsider, "member"];
  else if (kind === "removed") {
    [user, role] = [pool.removed, "admin"];
    await addMember(db, user.id, org.id, role);
  } else {
    [user, role] = [pool[kind], kind];
    await addMember(db, user.id, org.id, role);
  }
  const scene: Scene = { db, pool, org, kind, user, role };
  return {
    ...scene,
    async finish() {
      if (kind === "removed") await removeMember(db, actorOf(pool.owner), { org: { id: org.id }, userId: user.id });
    },
  };
}

const orgRef = (s: Scene) => ({ name: s.org.name });
const ownerActor = (s: Scene) => actorOf(s.pool.owner);

/**
 * An API token of `user` in the scene's org, made through lib/ as the settings
 * page does. A role that may not create tokens (billing) gets one made while it
 * was a member, then its role changed: the token keeps working, with the new role.
 */
export async function tokenOf(s: Scene, user: SeededUser, role: Role): Promise<{ id: string; token: string }> {
  if (roleHas(role, "tokens.create")) return seedApiToken(s.db, user, s.org, `matrix-${role}`);
  await changeMemberRole(s.db, ownerActor(s), { org: orgRef(s), userId: user.id, role: "member" });
  const token = await seedApiToken(s.db, user, s.org, `matrix-${role}`);
  await changeMemberRole(s.db, ownerActor(s), { org: orgRef(s), userId: user.id, role });
  return token;
}

/** The actor's own token, made while they are (or, for "removed", still were) a member; the owner's for an outsider. */
async function actorsOwnToken(s: Scene) {
  if (s.kind === "non-member") return tokenOf(s, s.pool.owner, "owner");
  if (s.kind === "owner") return tokenOf(s, s.user, "owner");
  return tokenOf(s, s.user, s.role);
}

async function addBystander(s: Scene) {
  await addMember(s.db, s.pool.bystander.id, s.org.id, "member");
  return s.pool.bystander;
}

async function addCoOwner(s: Scene) {
  await addMember(s.db, s.pool.coOwner.id, s.org.id, "owner");
  return s.pool.coOwner;
}

/** A pending invitation sent by the owner, its resend cooldown already over. */
async function pendingInvitation(s: Scene) {
  const email = uniqueEmail("matrix-invitee");
  await inviteMembers(s.db, ownerActor(s), { org: orgRef(s), emails: email });
  const [row] = await s.db
    .update(invitations)
    .set({ lastSentAt: sql`now() - interval '2 minutes'` })
    .where(and(eq(invitations.orgId, s.org.id), eq(invitations.email, email)))
    .returning({ id: invitations.id });
  return { id: row!.id, email };
}

const newApp = (s: Scene) => createApp(s.db, ownerActor(s), { org: orgRef(s), name: "web" });
const newSecret = (s: Scene) => createSecret(s.db, ownerActor(s), { org: orgRef(s), name: "DATABASE_URL", value: "postgres://matrix" });

/** A card on file while on Starter (so removing it is allowed), through the test checkout. */
async function cardOnFile(s: Scene) {
  await updateBillingDetails(s.db, ownerActor(s), { org: orgRef(s), details: billingInput() });
  const { checkoutId } = await replacePaymentMethod(s.db, ownerActor(s), { org: orgRef(s) }, testProvider);
  await payTest(s.db, ownerActor(s), checkoutId, "4242 4242 4242 4242");
  return { checkoutId };
}

/**
 * One case of an operation: what it needs (in the order lib/ checks it), its own
 * data (made fresh for each cell, before the actor is removed), and the call.
 * `refusals` names a refusal sentence that is not refusalMessage(permission).
 */
export interface Case<T = unknown> {
  label?: string;
  needs: readonly Permission[];
  setup?: (s: Scene) => Promise<T>;
  run: (s: Scene, data: T) => Promise<unknown>;
  refusals?: Partial<Record<Permission, string>>;
}

function oneCase<T>(c: Case<T>): Case {
  return c as Case;
}

export interface Operation {
  /** The lib/ function the action (or route, or page) calls: the coverage test finds it in the action's body. */
  lib: string;
  cases: Case[];
}

const OWNERS_ONLY_GRANT = "Only owners can make someone an owner.";

/** Every exported server action of actions/*.ts that acts in an organization, with the lib call it makes. */
export const ACTION_OPERATIONS: Record<string, Operation> = {
  // actions/api-tokens.ts
  createApiTokenAction: {
    lib: "createApiToken",
    cases: [
      oneCase({
        needs: ["tokens.create"],
        run: (s) => createApiToken(s.db, actorOf(s.user), { org: orgRef(s), name: "matrix-new", expiresIn: "30d" }),
      }),
    ],
  },
  deleteApiTokenAction: {
    lib: "deleteApiToken",
    cases: [
      // Anyone deletes their own token, whatever their role is now (a billing manager keeps one made as a member).
      oneCase({
        label: "own token",
        needs: ["org.view"],
        setup: actorsOwnToken,
        run: (s, token) => deleteApiToken(s.db, actorOf(s.user), { org: orgRef(s), tokenId: token.id }),
      }),
      oneCase({
        label: "another member's token",
        needs: ["tokens.manage"],
        setup: async (s) => tokenOf(s, await addBystander(s), "member"),
        run: (s, token) => deleteApiToken(s.db, actorOf(s.user), { org: orgRef(s), tokenId: token.id }),
      }),
    ],
  },
  // actions/apps.ts
  createAppAction: {
    lib: "createApp",
    cases: [oneCase({ needs: ["resources.write"], run: (s) => createApp(s.db, actorOf(s.user), { org: orgRef(s), name: "api" }) })],
  },
  renameAppAction: {
    lib: "renameApp",
    cases: [
      oneCase({
        needs: ["resources.write"],
        setup: newApp,
        run: (s, app) => renameApp(s.db, actorOf(s.user), { org: orgRef(s), appId: app.id, name: "www" }),
      }),
    ],
  },
  deleteAppAction: {
    lib: "deleteApp",
    cases: [
      oneCase({
        needs: ["resources.write"],
        setup: newApp,
        run: (s, app) => deleteApp(s.db, actorOf(s.user), { org: orgRef(s), appId: app.id }),
      }),
    ],
  },
  // actions/billing.ts
  changePlanAction: {
    lib: "changePlan",
    cases: [
      oneCase({
        needs: ["billing.manage"],
        setup: (s) => updateBillingDetails(s.db, ownerActor(s), { org: orgRef(s), details: billingInput() }),
        run: (s) => changePlan(s.db, actorOf(s.user), { org: orgRef(s), plan: "pro" }, testProvider),
      }),
    ],
  },
  saveBillingDetailsAction: {
    lib: "updateBillingDetails",
    cases: [
      oneCase({
        needs: ["billing.manage"],
        run: (s) => updateBillingDetails(s.db, actorOf(s.user), { org: orgRef(s), details: billingInput() }),
      }),
    ],
  },
  replacePaymentMethodAction: {
    lib: "replacePaymentMethod",
    cases: [
      oneCase({
        needs: ["billing.manage"],
        setup: (s) => updateBillingDetails(s.db, ownerActor(s), { org: orgRef(s), details: billingInput() }),
        run: (s) => replacePaymentMethod(s.db, actorOf(s.user), { org: orgRef(s) }, testProvider),
      }),
    ],
  },
  // The billing page's test clock (test mode): the clock is the server's, so only billing.manage moves it.
  advanceTestClockAction: {
    lib: "advanceTestClock",
    cases: [oneCase({ needs: ["billing.manage"], run: (s) => advanceTestClock(s.db, actorOf(s.user), { org: orgRef(s), days: "1" }) })],
  },
  removePaymentMethodAction: {
    lib: "removePaymentMethod",
    cases: [
      oneCase({
        needs: ["billing.manage"],
        setup: cardOnFile,
        run: (s) => removePaymentMethod(s.db, actorOf(s.user), { org: orgRef(s) }),
      }),
    ],
  },
  requestEnterpriseAction: {
    lib: "requestEnterprisePlan",
    cases: [
      oneCase({
        needs: ["billing.manage"],
        run: (s) => requestEnterprisePlan(s.db, actorOf(s.user), { org: orgRef(s), seats: 250, message: "Matrix" }),
      }),
    ],
  },
  // actions/invitations.ts (the org's side)
  inviteMembersAction: {
    lib: "inviteMembers",
    cases: [
      oneCase({
        label: "as members",
        needs: ["invitations.manage"],
        run: (s) => inviteMembers(s.db, actorOf(s.user), { org: orgRef(s), emails: uniqueEmail("matrix-new") }),
      }),
      oneCase({
        label: "as admins",
        needs: ["invitations.manage"],
        run: (s) => inviteMembers(s.db, actorOf(s.user), { org: orgRef(s), emails: uniqueEmail("matrix-new"), role: "admin" }),
      }),
      oneCase({
        label: "as owners",
        needs: ["invitations.manage", "owners.manage"],
        refusals: { "owners.manage": OWNERS_ONLY_GRANT },
        run: (s) => inviteMembers(s.db, actorOf(s.user), { org: orgRef(s), emails: uniqueEmail("matrix-new"), role: "owner" }),
      }),
    ],
  },
  resendInvitationAction: {
    lib: "resendInvitation",
    cases: [
      oneCase({
        needs: ["invitations.manage"],
        setup: pendingInvitation,
        run: (s, invitation) => resendInvitation(s.db, actorOf(s.user), { org: orgRef(s), invitationId: invitation.id }),
      }),
    ],
  },
  removeInvitationAction: {
    lib: "removeInvitation",
    cases: [
      oneCase({
        needs: ["invitations.manage"],
        setup: pendingInvitation,
        run: (s, invitation) => removeInvitation(s.db, actorOf(s.user), { org: orgRef(s), invitationId: invitation.id }),
      }),
    ],
  },
  // actions/members.ts
  removeMemberAction: {
    lib: "removeMember",
    cases: [
      oneCase({
        label: "a member",
        needs: ["members.remove"],
        setup: addBystander,
        run: (s, target) => removeMember(s.db, actorOf(s.user), { org: orgRef(s), userId: target.id }),
      }),
      oneCase({
        label: "an owner",
        needs: ["members.remove", "owners.manage"],
        setup: addCoOwner,
        run: (s, target) => removeMember(s.db, actorOf(s.user), { org: orgRef(s), userId: target.id }),
      }),
    ],
  },
  changeMemberRoleAction: {
    lib: "changeMemberRole",
    cases: [
      oneCase({
        label: "member to viewer",
        needs: ["members.change_role"],
        setup: addBystander,
        run: (s, target) => changeMemberRole(s.db, actorOf(s.user), { org: orgRef(s), userId: target.id, role: "viewer" }),
      }),
      oneCase({
        label: "member to admin",
        needs: ["members.change_role"],
        setup: addBystander,
        run: (s, target) => changeMemberRole(s.db, actorOf(s.user), { org: orgRef(s), userId: target.id, role: "admin" }),
      }),
      oneCase({
        label: "member to owner",
        needs: ["members.change_role", "owners.manage"],
        refusals: { "owners.manage": OWNERS_ONLY_GRANT },
        setup: addBystander,
        run: (s, target) => changeMemberRole(s.db, actorOf(s.user), { org: orgRef(s), userId: target.id, role: "owner" }),
      }),
      oneCase({
        label: "owner to admin",
        needs: ["members.change_role", "owners.manage"],
        setup: addCoOwner,
        run: (s, target) => changeMemberRole(s.db, actorOf(s.user), { org: orgRef(s), userId: target.id, role: "admin" }),
      }),
    ],
  },
  // actions/organizations.ts
  renameOrganizationAction: {
    lib: "renameOrganization",
    cases: [
      oneCase({
        needs: ["org.rename"],
        run: (s) => renameOrganization(s.db, actorOf(s.user), { org: orgRef(s), newName: uniqueOrgName("renamed") }),
      }),
    ],
  },
  // actions/two-factor.ts (turning the policy off when it is off changes nothing: the cell is about who may)
  setTwoFactorPolicyAction: {
    lib: "setTwoFactorPolicy",
    cases: [
      oneCase({
        needs: ["org.two_factor_policy"],
        run: (s) => setTwoFactorPolicy(s.db, actorOf(s.user), { org: orgRef(s), required: false }),
      }),
    ],
  },
  leaveOrganizationAction: {
    lib: "leaveOrganization",
    // A second owner stays behind, so the owner may leave too (the last-owner rule is roles-owners.test.ts).
    cases: [oneCase({ needs: ["org.view"], setup: addCoOwner, run: (s) => leaveOrganization(s.db, actorOf(s.user), { org: orgRef(s) }) })],
  },
  deleteOrganizationAction: {
    lib: "deleteOrganization",
    cases: [oneCase({ needs: ["org.delete"], run: (s) => deleteOrganization(s.db, actorOf(s.user), { org: orgRef(s) }) })],
  },
  // actions/secrets.ts
  createSecretAction: {
    lib: "createSecret",
    cases: [
      oneCase({
        needs: ["resources.write"],
        run: (s) => createSecret(s.db, actorOf(s.user), { org: orgRef(s), name: "API_KEY", value: "matrix" }),
      }),
    ],
  },
  updateSecretAction: {
    lib: "updateSecret",
    cases: [
      oneCase({
        needs: ["resources.write"],
        setup: newSecret,
        run: (s, secret) => updateSecret(s.db, actorOf(s.user), { org: orgRef(s), secretId: secret.id, name: "RENAMED", value: "changed" }),
      }),
    ],
  },
  deleteSecretAction: {
    lib: "deleteSecret",
    cases: [
      oneCase({
        needs: ["resources.write"],
        setup: newSecret,
        run: (s, secret) => deleteSecret(s.db, actorOf(s.user), { org: orgRef(s), secretId: secret.id }),
      }),
    ],
  },
  revealSecretAction: {
    lib: "revealSecret",
    cases: [
      oneCase({
        needs: ["resources.write"],
        setup: newSecret,
        run: (s, secret) => revealSecret(s.db, actorOf(s.user), { org: orgRef(s), secretId: secret.id }),
      }),
    ],
  },
};

/**
 * Exported actions of actions/*.ts that act in no organization, so no role applies,
 * with the reason; the coverage test requires every action to be here or above.
 */
export const OUT_OF_SCOPE_ACTIONS: Record<string, string> = {
  signOutAction: "session: ends the caller's own session",
  changeNameAction: "account: the caller's own name, in no organization",
  changePasswordAction: "account: the caller's own password, in no organization",
  signOutOtherSessionsAction: "session: the caller's own sessions and tokens, in no organization",
  resendVerificationAction: "account: the caller's own address, in no organization",
  signUpAction: "sign-up: nobody is signed in yet",
  signInAction: "sign-in: nobody is signed in yet",
  forgotPasswordAction: "forgot password: nobody is signed in",
  resetPasswordAction: "reset password: nobody is signed in",
  payTestCheckoutAction:
    "checkout: the test payment page of a checkout that changePlan/replacePaymentMethod (billing.manage, above) started",
  retryEmailAction: "dev-mail: the development outbox, not an organization",
  acceptInvitationAction:
    "the invitee's side: the invited address answers, not a member of the org (invitations-*.test.ts, roles-owners.test.ts)",
  declineInvitationAction: "the invitee's side: the invited address answers, not a member of the org (invitations-*.test.ts)",
  signUpFromInvitationAction: "sign-up: from an invitation link, nobody is signed in yet",
  signOutToInvitationAction: "session: signs out to show an invitation link",
  createOrganizationAction: "creates a new organization, so there is no role yet: its creator becomes the owner (roles-owners.test.ts)",
  checkOrgNameAction: "the name-availability hint while typing: no organization",
  // Issue 17, part B (account-email-change.test.ts, account-deletion.test.ts).
  requestEmailChangeAction: "account: the caller's own address, in no organization",
  confirmEmailChangeAction: "account: the e-mailed link to a new address, signed in or not",
  deleteAccountAction:
    "account: the caller's own account; in each org it leaves or deletes, the last-owner and last-member rules apply, not a role",
  beginTwoFactorSetupAction: "account: the caller's own two-factor, in no organization (two-factor.test.ts)",
  confirmTwoFactorSetupAction: "account: the caller's own two-factor, in no organization (two-factor.test.ts)",
  disableTwoFactorAction: "account: the caller's own two-factor, in no organization (two-factor.test.ts)",
  twoFactorSignInAction: "sign-in's code step: nobody is signed in yet (two-factor.test.ts)",
};

/** Org functions reached by routes that are not server actions (the CSV export), keyed by route. */
export const ROUTE_OPERATIONS: Record<string, Operation> = {
  "GET /orgs/[org]/activity/export": {
    lib: "exportActivitiesCsv",
    cases: [oneCase({ needs: ["activity.export"], run: (s) => exportActivitiesCsv(s.db, s.user.id, orgRef(s), {}) })],
  },
};

/** The reads the console's pages make, keyed by function: they change nothing, so one scene per actor serves them all. */
export const PAGE_READS: Record<string, { needs: readonly Permission[]; run: (s: Scene) => Promise<unknown> }> = {
  getOrgOverview: { needs: ["org.view"], run: (s) => getOrgOverview(s.db, s.user.id, orgRef(s)) },
  listMembers: { needs: ["org.view"], run: (s) => listMembers(s.db, s.user.id, orgRef(s)) },
  getSeatUsage: { needs: ["org.view"], run: (s) => getSeatUsage(s.db, s.user.id, orgRef(s)) },
  listPendingInvitations: { needs: ["org.view"], run: (s) => listPendingInvitations(s.db, s.user.id, orgRef(s)) },
  listActivities: { needs: ["org.view"], run: (s) => listActivities(s.db, s.user.id, orgRef(s), {}) },
  listApps: { needs: ["org.view"], run: (s) => listApps(s.db, s.user.id, orgRef(s)) },
  getApp: {
    needs: ["org.view"],
    run: async (s) => getApp(s.db, s.user.id, orgRef(s), (await listApps(s.db, s.pool.owner.id, orgRef(s)))[0]!.id),
  },
  listSecrets: { needs: ["org.view"], run: (s) => listSecrets(s.db, s.user.id, orgRef(s)) },
  getSecret: {
    needs: ["org.view"],
    run: async (s) => getSecret(s.db, s.user.id, orgRef(s), (await listSecrets(s.db, s.pool.owner.id, orgRef(s)))[0]!.id),
  },
  listApiTokens: { needs: ["org.view"], run: (s) => listApiTokens(s.db, s.user.id, orgRef(s)) },
  listMembersWithoutTwoFactor: { needs: ["org.view"], run: (s) => listMembersWithoutTwoFactor(s.db, s.user.id, orgRef(s)) },
  // The plan page shows the plan and seats to everyone, the billing information and card only to billing.manage.
  "getBillingOverview (plan page)": {
    needs: ["org.view"],
    run: async (s) => {
      const overview = await getBillingOverview(s.db, s.user.id, orgRef(s), "plan");
      const shown = overview.details !== undefined;
      if (shown !== roleHas(s.role, "billing.manage"))
        throw new Error(`billing information ${shown ? "shown to" : "hidden from"} a ${s.role}`);
      return overview;
    },
  },
  "getBillingOverview (billing page)": { needs: ["billing.manage"], run: (s) => getBillingOverview(s.db, s.user.id, orgRef(s), "billing") },
  readBillingDetails: { needs: ["billing.manage"], run: (s) => readBillingDetails(s.db, s.user.id, orgRef(s)) },
  getBillingSummary: { needs: ["billing.manage"], run: (s) => getBillingSummary(s.db, s.user.id, orgRef(s)) },
  getPlanSchedule: { needs: ["billing.manage"], run: (s) => getPlanSchedule(s.db, s.user.id, orgRef(s)) },
  readCheckout: { needs: ["billing.manage"], run: (s) => readCheckout(s.db, s.user.id, orgRef(s), "00000000-0000-0000-0000-000000000000") },
  listInvoices: { needs: ["billing.manage"], run: (s) => listInvoices(s.db, s.user.id, orgRef(s)) },
  getUsageThisPeriod: { needs: ["billing.manage"], run: (s) => getUsageThisPeriod(s.db, s.user.id, orgRef(s)) },
};

/** An issued invoice of the scene's org (a month of Pro), written as the billing cycle writes one. */
async function newInvoice(s: Scene): Promise<Invoice> {
  await updateBillingDetails(s.db, ownerActor(s), { org: orgRef(s), details: billingInput() });
  const now = new Date();
  return inTransaction(s.db, (tx) =>
    issueInvoice(tx, {
      org: s.org,
      kind: "period",
      plan: "pro",
      periodStart: now,
      periodEnd: new Date(now.getTime() + 30 * 86_400_000),
      lines: [singleLine("plan", "Pro plan", 2900)],
      provider: "test",
      now,
      actor: ownerActor(s),
      recordIssued: false,
    }),
  );
}

/** The data a read scene holds: an app and a secret of the owner's, and billing information. */
export async function seedReadData(s: Scene): Promise<void> {
  await newApp(s);
  await newSecret(s);
  await updateBillingDetails(s.db, ownerActor(s), { org: orgRef(s), details: billingInput() });
}

/** One REST call of a case: path (with the ids the setup made), JSON body, and the status of a success. */
export interface ApiCase<T = unknown> {
  label?: string;
  needs: readonly Permission[];
  setup?: (s: Scene) => Promise<T>;
  request: (s: Scene, data: T) => { path: string; json?: unknown };
  status: number;
  refusals?: Partial<Record<Permission, string>>;
}

function apiCase<T>(c: ApiCase<T>): ApiCase {
  return c as ApiCase;
}

/** Every endpoint of API_ENDPOINTS by `METHOD /path`, with its cases. */
export const API_OPERATIONS: Record<string, ApiCase[]> = {
  "GET /organization": [apiCase({ needs: ["org.view"], request: () => ({ path: "/organization" }), status: 200 })],
  "GET /plan": [apiCase({ needs: ["org.view"], request: () => ({ path: "/plan" }), status: 200 })],
  // Billing information and the card: what the billing page shows to billing.manage only.
  "GET /billing": [apiCase({ needs: ["billing.manage"], request: () => ({ path: "/billing" }), status: 200 })],
  "GET /billing/usage": [apiCase({ needs: ["billing.manage"], request: () => ({ path: "/billing/usage" }), status: 200 })],
  "GET /invoices": [apiCase({ needs: ["billing.manage"], request: () => ({ path: "/invoices" }), status: 200 })],
  "GET /invoices/{id}": [
    apiCase({ needs: ["billing.manage"], setup: newInvoice, request: (_s, invoice) => ({ path: `/invoices/${invoice.id}` }), status: 200 }),
  ],
  "GET /members": [apiCase({ needs: ["org.view"], request: () => ({ path: "/members" }), status: 200 })],
  "PATCH /members/{id}": [
    apiCase({
      label: "member to viewer",
      needs: ["members.change_role"],
      setup: addBystander,
      request: (_s, target) => ({ path: `/members/${target.id}`, json: { role: "viewer" } }),
      status: 200,
    }),
    apiCase({
      label: "member to owner",
      needs: ["members.change_role", "owners.manage"],
      refusals: { "owners.manage": OWNERS_ONLY_GRANT },
      setup: addBystander,
      request: (_s, target) => ({ path: `/members/${target.id}`, json: { role: "owner" } }),
      status: 200,
    }),
    apiCase({
      label: "owner to member",
      needs: ["members.change_role", "owners.manage"],
      setup: addCoOwner,
      request: (_s, target) => ({ path: `/members/${target.id}`, json: { role: "member" } }),
      status: 200,
    }),
  ],
  "DELETE /members/{id}": [
    apiCase({
      label: "a member",
      needs: ["members.remove"],
      setup: addBystander,
      request: (_s, target) => ({ path: `/members/${target.id}` }),
      status: 204,
    }),
    apiCase({
      label: "an owner",
      needs: ["members.remove", "owners.manage"],
      setup: addCoOwner,
      request: (_s, target) => ({ path: `/members/${target.id}` }),
      status: 204,
    }),
  ],
  "GET /invitations": [apiCase({ needs: ["org.view"], request: () => ({ path: "/invitations" }), status: 200 })],
  "POST /invitations": [
    apiCase({
      label: "as members",
      needs: ["invitations.manage"],
      request: () => ({ path: "/invitations", json: { emails: [uniqueEmail("matrix-api")] } }),
      status: 200,
    }),
    apiCase({
      label: "as owners",
      needs: ["invitations.manage", "owners.manage"],
      refusals: { "owners.manage": OWNERS_ONLY_GRANT },
      request: () => ({ path: "/invitations", json: { emails: [uniqueEmail("matrix-api")], role: "owner" } }),
      status: 200,
    }),
  ],
  "POST /invitations/{id}/resend": [
    apiCase({
      needs: ["invitations.manage"],
      setup: pendingInvitation,
      request: (_s, invitation) => ({ path: `/invitations/${invitation.id}/resend` }),
      status: 200,
    }),
  ],
  "DELETE /invitations/{id}": [
    apiCase({
      needs: ["invitations.manage"],
      setup: pendingInvitation,
      request: (_s, invitation) => ({ path: `/invitations/${invitation.id}` }),
      status: 204,
    }),
  ],
  "GET /activities": [apiCase({ needs: ["org.view"], request: () => ({ path: "/activities" }), status: 200 })],
  "GET /apps": [apiCase({ needs: ["org.view"], request: () => ({ path: "/apps" }), status: 200 })],
  "POST /apps": [apiCase({ needs: ["resources.write"], request: () => ({ path: "/apps", json: { name: "api" } }), status: 201 })],
  "GET /apps/{id}": [apiCase({ needs: ["org.view"], setup: newApp, request: (_s, app) => ({ path: `/apps/${app.id}` }), status: 200 })],
  "PATCH /apps/{id}": [
    apiCase({
      needs: ["resources.write"],
      setup: newApp,
      request: (_s, app) => ({ path: `/apps/${app.id}`, json: { name: "www" } }),
      status: 200,
    }),
  ],
  "DELETE /apps/{id}": [
    apiCase({ needs: ["resources.write"], setup: newApp, request: (_s, app) => ({ path: `/apps/${app.id}` }), status: 204 }),
  ],
  "GET /secrets": [apiCase({ needs: ["org.view"], request: () => ({ path: "/secrets" }), status: 200 })],
  "POST /secrets": [
    apiCase({ needs: ["resources.write"], request: () => ({ path: "/secrets", json: { name: "API_KEY", value: "matrix" } }), status: 201 }),
  ],
  // Reading one secret returns its value (and records the reveal).
  "GET /secrets/{id}": [
    apiCase({ needs: ["resources.write"], setup: newSecret, request: (_s, secret) => ({ path: `/secrets/${secret.id}` }), status: 200 }),
  ],
  "PATCH /secrets/{id}": [
    apiCase({
      needs: ["resources.write"],
      setup: newSecret,
      request: (_s, secret) => ({ path: `/secrets/${secret.id}`, json: { value: "changed" } }),
      status: 200,
    }),
  ],
  "DELETE /secrets/{id}": [
    apiCase({ needs: ["resources.write"], setup: newSecret, request: (_s, secret) => ({ path: `/secrets/${secret.id}` }), status: 204 }),
  ],
};

/** The role of `user` in `orgId` right now (undefined: not a member). */
export async function roleIn(db: Db, orgId: string, userId: string): Promise<Role | undefined> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return row?.role;
}

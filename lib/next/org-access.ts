import "server-only";

import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";

import { getDb } from "@/db";
import type { SessionUser } from "@/lib/auth/account-settings";
import { isAppError } from "@/lib/core/errors";
import { listMemberships, requireMembershipAmong, type OrgAccess } from "@/lib/orgs/access";
import { rememberLastOrg } from "@/lib/orgs/memberships";
import { findRenamedOrg } from "@/lib/orgs/organizations";
import { isTwoFactorRequiredError } from "@/lib/orgs/two-factor-compliance";

import { REQUEST_PATH_HEADER } from "./security-headers";
import { requireUser } from "./session";

/**
 * The org layout's check: a member gets the org; a former name of one of the
 * user's orgs redirects to its new name; anyone else gets the 404 page, never
 * the org's data. No side effect: the router renders layouts to prefetch links.
 */
export const checkOrgAccess = cache(async (orgName: string, subPath = ""): Promise<OrgAccess & { user: SessionUser }> => {
  const name = decodeURIComponent(orgName);
  const user = await requireUser(`/orgs/${encodeURIComponent(name)}${subPath}`);
  const access = await findOrgAccess(name).catch((error: unknown) => {
    // The org requires two-factor and this member has none: the banner that says so, instead of the org.
    if (isTwoFactorRequiredError(error)) redirect(`/two-factor-required?org=${encodeURIComponent(error.orgName)}`);
    throw error;
  });
  if (access) return access;
  const renamed = await findRenamedOrg(await getDb(), user.id, name);
  if (renamed) redirect(`/orgs/${renamed}${subPath}`);
  notFound();
});

/**
 * Every org page calls this (layouts alone are not re-run on every navigation):
 * the same check, and the org becomes the one `/` and sign-in land in next time.
 * Only a page does that, because only a page is rendered when the user opens it.
 */
export const requireOrgAccess = cache(async (orgName: string, subPath = ""): Promise<OrgAccess & { user: SessionUser }> => {
  const access = await checkOrgAccess(orgName, subPath);
  // The session already says which org was used last: write only when it changes.
  if (access.user.lastOrgId !== access.org.id) await rememberLastOrg(await getDb(), access.user.id, access.org.id);
  return access;
});

/**
 * The part of the requested path after /orgs/NAME ("/settings/api"), for the org
 * layout's redirect of a former name (a layout is not told the page's path;
 * proxy.ts passes it along). Only plain page segments are kept: anything else
 * redirects to the org's overview.
 */
export async function orgSubPath(): Promise<string> {
  const path = (await headers()).get(REQUEST_PATH_HEADER) ?? "";
  const rest = path.split("/").slice(3);
  return rest.length > 0 && rest.every((segment) => /^[a-z][a-z0-9-]{0,40}$/.test(segment)) ? `/${rest.join("/")}` : "";
}

/**
 * The same check without redirecting: for the org layout, which does not know
 * the page's path. It renders no org chrome for a non-member and leaves the
 * redirect (which keeps the path) or the 404 to the page.
 */
export const findOrgAccess = cache(async (orgName: string): Promise<(OrgAccess & { user: SessionUser }) | undefined> => {
  const name = decodeURIComponent(orgName);
  const user = await requireUser(`/orgs/${encodeURIComponent(name)}`);
  try {
    // The same object, with the user added: lib/ trusts it without a second membership query.
    return Object.assign(await requireMembershipAmong(await getDb(), user.id, await getMemberships(user.id), name), { user });
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return undefined;
    throw error;
  }
});

/**
 * The user's orgs with their memberships, read once per request: the console layout
 * lists them in the org switcher and the org check above finds the URL's org among
 * them (lib/orgs/access.ts requireMembershipAmong), one query for both.
 */
export const getMemberships = cache(async (userId: string) => listMemberships(await getDb(), userId));

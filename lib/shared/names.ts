import { z } from "zod";

/**
 * The organization-name rule, shared by the create/rename forms (live hints) and
 * the server (the decision). A name composes app URLs (`<app>-<org>.<APPS_DOMAIN>`),
 * so it is a DNS label: lowercase ASCII letters, digits and single dashes.
 */
export const ORG_NAME_MAX = 39;

export const RESERVED_ORG_NAMES = new Set([
  "account",
  "accounts",
  "admin",
  "administrator",
  "api",
  "app",
  "apps",
  "assets",
  "auth",
  "billing",
  "blog",
  "console",
  "dashboard",
  "dev",
  "docs",
  "help",
  "invitations",
  "invite",
  "login",
  "logout",
  "mail",
  "new",
  "null",
  "onboarding",
  "org",
  "orgs",
  "organization",
  "organizations",
  "root",
  "settings",
  "sign-in",
  "sign-up",
  "signin",
  "signup",
  "static",
  "status",
  "support",
  "system",
  "undefined",
  "user",
  "users",
  "www",
]);

export interface NameRule {
  id: string;
  label: string;
  passes: (name: string) => boolean;
}

/** The rules the form lists as the user types, each ticked when it passes. */
export const ORG_NAME_RULES: NameRule[] = [
  { id: "length", label: `1 to ${ORG_NAME_MAX} characters`, passes: (n) => n.length >= 1 && n.length <= ORG_NAME_MAX },
  { id: "charset", label: "Lowercase letters (a–z), digits and dashes only", passes: (n) => n.length > 0 && /^[a-z0-9-]+$/.test(n) },
  { id: "edges", label: "Starts and ends with a letter or digit", passes: (n) => /^[a-z0-9](.*[a-z0-9])?$/.test(n) },
  { id: "dashes", label: "No two dashes in a row", passes: (n) => n.length > 0 && !n.includes("--") },
];

const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]/;

/** The first rule the name breaks, worded for the person typing it; undefined when valid. */
export function orgNameProblem(name: string): string | undefined {
  return dnsLabelProblem(name, "organization");
}

/** The same DNS-label rule for an app name (no reserved words: apps live inside an org). */
export function appNameProblem(name: string): string | undefined {
  return dnsLabelProblem(name, "app");
}

function dnsLabelProblem(name: string, kind: "organization" | "app"): string | undefined {
  if (name.length === 0) return `Enter a name for the ${kind}.`;
  if (name.length > ORG_NAME_MAX) return `Use at most ${ORG_NAME_MAX} characters (this one has ${name.length}).`;
  if (INVISIBLE.test(name)) return "The name contains invisible or text-direction characters. Type it again by hand.";
  if (/\s/.test(name)) return "Spaces are not allowed. Use dashes instead, like my-team.";
  if (/[A-Z]/.test(name)) {
    const lower = name.toLowerCase();
    return dnsLabelProblem(lower, kind) ? "Use lowercase letters only." : `Use lowercase letters only, like ${lower}.`;
  }
  if (!/^[a-z0-9-]+$/.test(name)) {
    return "Use only the letters a–z, digits and dashes: no accents, symbols or look-alike letters from other alphabets.";
  }
  if (name.startsWith("-") || name.endsWith("-")) return "The name must start and end with a letter or a digit.";
  if (name.includes("--")) return "Use single dashes only, like my-team.";
  if (kind === "organization" && RESERVED_ORG_NAMES.has(name)) return `"${name}" is reserved. Choose another name.`;
  return undefined;
}

export const orgNameSchema = z
  .string({ error: "Enter a name for the organization." })
  .max(1000, `Use at most ${ORG_NAME_MAX} characters.`)
  .superRefine((name, context) => {
    const problem = orgNameProblem(name);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });

export const appNameSchema = z
  .string({ error: "Enter a name for the app." })
  .max(1000, `Use at most ${ORG_NAME_MAX} characters.`)
  .superRefine((name, context) => {
    const problem = appNameProblem(name);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });

/** A DNS label holds 63 characters: `<app>-<org>` must fit in one. */
export const DNS_LABEL_MAX = 63;

/** The DNS label of an app's default address: `<app>-<org>` (unique across orgs: lib/apps/apps.ts). */
export function appHostLabel(appName: string, orgName: string): string {
  return `${appName}-${orgName}`;
}

/** The default URL of an app in this org, as the name preview shows it. */
export function defaultAppUrl(appName: string, orgName: string, appsDomain: string): string {
  return `https://${appHostLabel(appName, orgName || "<organization>")}.${appsDomain}`;
}

/** An app's URL from its stored address; null when it has none (see apps.host_label). */
export function appUrlOf(hostLabel: string | null, appsDomain: string): string | null {
  return hostLabel ? `https://${hostLabel}.${appsDomain}` : null;
}

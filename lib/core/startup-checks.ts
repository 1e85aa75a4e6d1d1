import { env, mailTransport } from "./env";

/**
 * Configuration that works but is risky, said once when the server starts
 * (instrumentation.ts). Each line names the variable to change.
 */
export function startupWarnings(): string[] {
  const config = env();
  const warnings: string[] = [];
  if (mailTransport() === "none") {
    warnings.push(
      "No e-mail will be delivered: RESEND_API_KEY is not set, and production does not use the outbox unless MAIL_OUTBOX_IN_PRODUCTION=true. Sign-up, reset and invitation e-mails are recorded as failed.",
    );
  }
  const consoleSite = registrableDomain(new URL(config.APP_URL).hostname);
  const appsDomain = config.APPS_DOMAIN.toLowerCase().replace(/\.$/, "");
  if (consoleSite && (appsDomain === consoleSite || appsDomain.endsWith(`.${consoleSite}`))) {
    warnings.push(
      `APPS_DOMAIN (${appsDomain}) shares the console's registrable domain (${consoleSite}): apps served there are same-site with the console, so SameSite cookies and framing defences do not keep them apart, and an app can set cookies for ${consoleSite}. Serve apps from a domain of their own.`,
    );
  }
  if (config.E2E_SEED_TOKEN) {
    warnings.push(
      "E2E_SEED_TOKEN is set: POST /api/test/seed creates signed-in accounts for whoever has the token. It is for the test suite only.",
    );
  }
  return warnings;
}

// Two-label public suffixes common enough to matter here (co.uk, com.au...): a
// heuristic for a warning, not the Public Suffix List.
const SECOND_LEVEL = /^(co|com|net|org|gov|edu|ac|ne|or|go)\.[a-z]{2}$/;

/** The registrable domain ("site") of a host name; undefined for an IP address or a single label such as localhost. */
export function registrableDomain(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (/^[\d.]+$/.test(host) || host.includes(":") || !host.includes(".")) return undefined;
  const labels = host.split(".");
  const lastTwo = labels.slice(-2).join(".");
  return SECOND_LEVEL.test(lastTwo) && labels.length >= 3 ? labels.slice(-3).join(".") : lastTwo;
}

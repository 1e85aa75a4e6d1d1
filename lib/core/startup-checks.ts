import { mailTransport } from "./env";

/**
 * Configuration that works but is risky, said once when the server starts
 * (instrumentation.ts). Each line names the variable to change.
 */
export function startupWarnings(): string[] {
  const warnings: string[] = [];
  if (mailTransport() === "none") {
    warnings.push(
      "No e-mail will be delivered: RESEND_API_KEY is not set, and production does not use the outbox unless MAIL_OUTBOX_IN_PRODUCTION=true. Sign-up, reset and invitation e-mails are recorded as failed.",
    );
  }
  return warnings;
}

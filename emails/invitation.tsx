import { Text } from "@react-email/components";

import { EmailLayout, paragraph, PRODUCT_NAME } from "./layout";

export interface InvitationEmailProps {
  inviterName: string;
  orgName: string;
  joinUrl: string;
  expiresAt: Date;
  /** The org requires two-factor of its members: said up front, so joining does not end at a banner. */
  requiresTwoFactor?: boolean;
}

/** No free text of the inviter's (their display name) in the subject: only the org's name, which is validated. */
export const invitationSubject = (orgName: string) => `You're invited to join ${orgName} on ${PRODUCT_NAME}`;

export default function InvitationEmail({ inviterName, orgName, joinUrl, expiresAt, requiresTwoFactor }: InvitationEmailProps) {
  const expiry = expiresAt.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  return (
    <EmailLayout
      preview={`Join ${orgName} on ${PRODUCT_NAME}`}
      heading={`Join ${orgName}`}
      action={{ label: "Join", href: joinUrl }}
      footer="If you were not expecting this invitation, you can ignore this e-mail."
    >
      <Text style={paragraph}>
        {inviterName} invited you to join the organization {orgName} on {PRODUCT_NAME}. Members share the organization&apos;s apps, secrets,
        activity and billing.
      </Text>
      {requiresTwoFactor ? (
        <Text style={paragraph}>
          {orgName} requires two-factor authentication: you will need an authenticator app, and to turn two-factor on, to open it.
        </Text>
      ) : null}
      <Text style={paragraph}>The invitation expires on {expiry} (UTC). No account yet? You can create one from the link.</Text>
    </EmailLayout>
  );
}

InvitationEmail.PreviewProps = {
  inviterName: "Alice",
  orgName: "acme",
  joinUrl: "http://localhost:3000/invitations/example-token",
  expiresAt: new Date("2026-12-05T12:00:00Z"),
} satisfies InvitationEmailProps;

import { Text } from "@react-email/components";

import { EmailLayout, paragraph, PRODUCT_NAME } from "./layout";

export interface EmailChangeRequestedProps {
  name: string;
  newEmail: string;
  resetUrl: string;
  supportEmail: string;
}

export const emailChangeRequestedSubject = () => `Your ${PRODUCT_NAME} email address is about to change`;

/** Sent to the old address: its owner learns of the change and how to stop a stranger. */
export default function EmailChangeRequested({ name, newEmail, resetUrl, supportEmail }: EmailChangeRequestedProps) {
  return (
    <EmailLayout
      preview={`Someone asked to change your account's email address to ${newEmail}`}
      heading="Your email address is about to change"
      action={{ label: "This was not me: reset my password", href: resetUrl }}
      footer={`You receive this e-mail because this address belongs to a ${PRODUCT_NAME} account.`}
    >
      <Text style={paragraph}>Hi {name},</Text>
      <Text style={paragraph}>
        Someone signed in to your account, with your password, asked to change its email address to {newEmail}. The change happens only when
        the link sent to that address is opened.
      </Text>
      <Text style={paragraph}>
        If this was not you, reset your password now (this signs out every session) and report it to {supportEmail}.
      </Text>
    </EmailLayout>
  );
}

EmailChangeRequested.PreviewProps = {
  name: "Alice",
  newEmail: "alice@new.example",
  resetUrl: "http://localhost:3000/forgot-password",
  supportEmail: "support@example.com",
} satisfies EmailChangeRequestedProps;

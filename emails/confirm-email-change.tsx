import { Text } from "@react-email/components";

import { EmailLayout, paragraph, PRODUCT_NAME } from "./layout";

export interface ConfirmEmailChangeProps {
  name: string;
  newEmail: string;
  confirmUrl: string;
}

export const confirmEmailChangeSubject = () => `Confirm your new email address for ${PRODUCT_NAME}`;

/** Sent to the new address: opening the link (and confirming) is what changes the account's address. */
export default function ConfirmEmailChange({ name, newEmail, confirmUrl }: ConfirmEmailChangeProps) {
  return (
    <EmailLayout
      preview="Confirm the new email address of your account"
      heading="Confirm your new email address"
      action={{ label: "Confirm new address", href: confirmUrl }}
      footer="If you did not ask for this change, ignore this e-mail: nothing changes until the link is used."
    >
      <Text style={paragraph}>Hi {name},</Text>
      <Text style={paragraph}>
        You asked to use {newEmail} for your {PRODUCT_NAME} account. Open the link to confirm; your account keeps its old address until
        then. The link works once, for 24 hours.
      </Text>
    </EmailLayout>
  );
}

ConfirmEmailChange.PreviewProps = {
  name: "Alice",
  newEmail: "alice@new.example",
  confirmUrl: "http://localhost:3000/confirm-email/example-token",
} satisfies ConfirmEmailChangeProps;

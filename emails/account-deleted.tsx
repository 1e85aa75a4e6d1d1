import { Text } from "@react-email/components";

import { EmailLayout, paragraph, PRODUCT_NAME } from "./layout";

export interface AccountDeletedProps {
  name: string;
  deletedOrgs: string[];
  leftOrgs: string[];
  supportEmail: string;
}

export const accountDeletedSubject = () => `Your ${PRODUCT_NAME} account was deleted`;

/** The last e-mail to a deleted account's address: what went with it. */
export default function AccountDeleted({ name, deletedOrgs, leftOrgs, supportEmail }: AccountDeletedProps) {
  return (
    <EmailLayout
      preview={`Your ${PRODUCT_NAME} account and its sessions are gone`}
      heading="Your account was deleted"
      footer={`You receive this e-mail because this address belonged to a ${PRODUCT_NAME} account.`}
    >
      <Text style={paragraph}>Hi {name},</Text>
      <Text style={paragraph}>
        Your {PRODUCT_NAME} account was deleted, with its sessions and API tokens. This cannot be undone; you can sign up again with this
        address as a new account.
      </Text>
      {deletedOrgs.length > 0 ? (
        <Text style={paragraph}>Deleted with it (you were their only member): {deletedOrgs.join(", ")}.</Text>
      ) : null}
      {leftOrgs.length > 0 ? <Text style={paragraph}>You left: {leftOrgs.join(", ")}.</Text> : null}
      <Text style={paragraph}>If you did not do this, contact {supportEmail}.</Text>
    </EmailLayout>
  );
}

AccountDeleted.PreviewProps = {
  name: "Alice",
  deletedOrgs: ["alice-sandbox"],
  leftOrgs: ["acme"],
  supportEmail: "support@example.com",
} satisfies AccountDeletedProps;

import { Text } from "@react-email/components";

import { EmailLayout, paragraph, PRODUCT_NAME } from "./layout";

export interface ResetPasswordProps {
  name: string;
  resetUrl: string;
}

export const resetPasswordSubject = () => `Reset your ${PRODUCT_NAME} password`;

export default function ResetPassword({ name, resetUrl }: ResetPasswordProps) {
  return (
    <EmailLayout
      preview="A link to choose a new password, valid for one hour"
      heading="Reset your password"
      action={{ label: "Choose a new password", href: resetUrl }}
      footer="If you did not ask for this, ignore this e-mail: your password stays as it is."
    >
      <Text style={paragraph}>Hi {name},</Text>
      <Text style={paragraph}>
        Someone asked to reset the password of your {PRODUCT_NAME} account. The link works once, for one hour. Choosing a new password signs
        you out everywhere else.
      </Text>
    </EmailLayout>
  );
}

ResetPassword.PreviewProps = { name: "Alice", resetUrl: "http://localhost:3000/reset-password/example-token" } satisfies ResetPasswordProps;

import { Text } from "@react-email/components";

import { EmailLayout, paragraph, PRODUCT_NAME } from "./layout";

export interface VerifyEmailProps {
  name: string;
  verifyUrl: string;
}

export const verifyEmailSubject = () => `Verify your email for ${PRODUCT_NAME}`;

export default function VerifyEmail({ name, verifyUrl }: VerifyEmailProps) {
  return (
    <EmailLayout
      preview="Confirm your email address to finish setting up your account"
      heading="Verify your email address"
      action={{ label: "Verify email", href: verifyUrl }}
      footer="If you did not create an account, you can ignore this e-mail: nothing happens until the link is opened."
    >
      <Text style={paragraph}>Hi {name},</Text>
      <Text style={paragraph}>
        Confirm that this is your email address to finish setting up your {PRODUCT_NAME} account. The link works for 48 hours.
      </Text>
    </EmailLayout>
  );
}

VerifyEmail.PreviewProps = { name: "Alice", verifyUrl: "http://localhost:3000/verify-email/example-token" } satisfies VerifyEmailProps;

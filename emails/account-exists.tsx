import { Text } from "@react-email/components";

import { EmailLayout, paragraph, PRODUCT_NAME } from "./layout";

export interface AccountExistsProps {
  name: string;
  signInUrl: string;
  resetUrl: string;
}

export const accountExistsSubject = () => `You already have a ${PRODUCT_NAME} account`;

/** Sent instead of a second account: its owner learns of the attempt, and the person signing up is not signed in. */
export default function AccountExists({ name, signInUrl, resetUrl }: AccountExistsProps) {
  return (
    <EmailLayout
      preview="Someone tried to sign up with your email address"
      heading="You already have an account"
      action={{ label: "Sign in", href: signInUrl }}
    >
      <Text style={paragraph}>Hi {name},</Text>
      <Text style={paragraph}>
        Someone (maybe you) tried to create a {PRODUCT_NAME} account with this email address, which already has one. Sign in instead, or
        reset your password if you forgot it: {resetUrl}
      </Text>
    </EmailLayout>
  );
}

AccountExists.PreviewProps = {
  name: "Alice",
  signInUrl: "http://localhost:3000/sign-in",
  resetUrl: "http://localhost:3000/forgot-password",
} satisfies AccountExistsProps;

import { Text } from "@react-email/components";

import { EmailLayout, paragraph } from "./layout";

export interface TwoFactorChangedProps {
  name: string;
  enabled: boolean;
  securityUrl: string;
}

export const twoFactorChangedSubject = (enabled: boolean) => `Two-factor authentication was turned ${enabled ? "on" : "off"}`;

export default function TwoFactorChanged({ name, enabled, securityUrl }: TwoFactorChangedProps) {
  return (
    <EmailLayout
      preview={twoFactorChangedSubject(enabled)}
      heading={twoFactorChangedSubject(enabled)}
      action={{ label: "Review your security settings", href: securityUrl }}
      footer="You receive this e-mail because the security of your account changed."
    >
      <Text style={paragraph}>Hi {name},</Text>
      <Text style={paragraph}>
        {enabled
          ? "Two-factor authentication is now on for your account: signing in asks for a code from your authenticator app after your password. Keep your recovery codes somewhere safe."
          : "Two-factor authentication is now off for your account: signing in asks only for your password. Organizations that require two-factor will not open until you turn it on again."}
      </Text>
      <Text style={paragraph}>If you did not make this change, reset your password at once and turn two-factor on again.</Text>
    </EmailLayout>
  );
}

TwoFactorChanged.PreviewProps = {
  name: "Alice",
  enabled: true,
  securityUrl: "http://localhost:3000/account/security",
} satisfies TwoFactorChangedProps;

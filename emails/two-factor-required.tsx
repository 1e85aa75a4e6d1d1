import { Text } from "@react-email/components";

import { EmailLayout, paragraph } from "./layout";

export interface TwoFactorRequiredProps {
  name: string;
  orgName: string;
  requiredBy: string;
  securityUrl: string;
}

export const twoFactorRequiredSubject = (orgName: string) => `${orgName} now requires two-factor authentication`;

export default function TwoFactorRequired({ name, orgName, requiredBy, securityUrl }: TwoFactorRequiredProps) {
  return (
    <EmailLayout
      preview={twoFactorRequiredSubject(orgName)}
      heading={twoFactorRequiredSubject(orgName)}
      action={{ label: "Turn on two-factor", href: securityUrl }}
      footer="You receive this e-mail because you are a member of this organization."
    >
      <Text style={paragraph}>Hi {name},</Text>
      <Text style={paragraph}>
        {requiredBy} now requires two-factor authentication for every member of {orgName}. Until you turn it on, you cannot open {orgName}{" "}
        in the console and your API tokens in it answer 403.
      </Text>
    </EmailLayout>
  );
}

TwoFactorRequired.PreviewProps = {
  name: "Bob",
  orgName: "acme",
  requiredBy: "Alice",
  securityUrl: "http://localhost:3000/account/security",
} satisfies TwoFactorRequiredProps;

import { Text } from "@react-email/components";

import { EmailLayout, paragraph } from "./layout";

export interface OrganizationDeletedProps {
  memberName: string;
  orgName: string;
  deletedBy: string;
  consoleUrl: string;
}

export const organizationDeletedSubject = (orgName: string) => `The organization ${orgName} was deleted`;

export default function OrganizationDeleted({ memberName, orgName, deletedBy, consoleUrl }: OrganizationDeletedProps) {
  return (
    <EmailLayout
      preview={`${deletedBy} deleted ${orgName} and everything it owned`}
      heading={`${orgName} was deleted`}
      action={{ label: "Open the console", href: consoleUrl }}
      footer="You receive this e-mail because you were a member of this organization."
    >
      <Text style={paragraph}>Hi {memberName},</Text>
      <Text style={paragraph}>
        {deletedBy} deleted the organization {orgName}, with its members, invitations, activity, API tokens and resources. This cannot be
        undone. Your other organizations are not affected.
      </Text>
    </EmailLayout>
  );
}

OrganizationDeleted.PreviewProps = {
  memberName: "Bob",
  orgName: "acme",
  deletedBy: "Alice",
  consoleUrl: "http://localhost:3000/",
} satisfies OrganizationDeletedProps;

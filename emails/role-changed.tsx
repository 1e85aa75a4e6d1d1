import { Text } from "@react-email/components";

import { ROLE_DESCRIPTIONS, ROLE_LABELS, type Role } from "@/lib/shared/roles";

import { EmailLayout, paragraph } from "./layout";

export interface RoleChangedProps {
  memberName: string;
  orgName: string;
  changedBy: string;
  from: Role;
  to: Role;
  orgUrl: string;
}

export const roleChangedSubject = (orgName: string, to: Role) => `You are now ${ROLE_LABELS[to].toLowerCase()} of ${orgName}`;

export default function RoleChanged({ memberName, orgName, changedBy, from, to, orgUrl }: RoleChangedProps) {
  return (
    <EmailLayout
      preview={`${changedBy} changed your role in ${orgName} from ${ROLE_LABELS[from]} to ${ROLE_LABELS[to]}`}
      heading={`Your role in ${orgName} changed`}
      action={{ label: `Open ${orgName}`, href: orgUrl }}
      footer="You receive this e-mail because you are a member of this organization."
    >
      <Text style={paragraph}>Hi {memberName},</Text>
      <Text style={paragraph}>
        {changedBy} changed your role in {orgName} from {ROLE_LABELS[from]} to {ROLE_LABELS[to]}. {ROLE_DESCRIPTIONS[to]} It applies at
        once, to your API tokens too.
      </Text>
    </EmailLayout>
  );
}

RoleChanged.PreviewProps = {
  memberName: "Bob",
  orgName: "acme",
  changedBy: "Alice",
  from: "member",
  to: "admin",
  orgUrl: "http://localhost:3000/orgs/acme",
} satisfies RoleChangedProps;

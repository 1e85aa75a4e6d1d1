import { Text } from "@react-email/components";

import { EmailLayout, paragraph } from "./layout";

export interface EnterpriseRequestProps {
  orgName: string;
  requesterName: string;
  requesterEmail: string;
  seats: number;
  currentPlan: string;
  members: number;
  message: string;
}

export const enterpriseRequestSubject = (orgName: string) => `Enterprise plan request from ${orgName}`;

/** To the sales address: who asks, for which org, how many seats, and what they wrote. */
export default function EnterpriseRequest(props: EnterpriseRequestProps) {
  return (
    <EmailLayout
      preview={`${props.requesterName} asks about the Enterprise plan for ${props.orgName}`}
      heading={`Enterprise request: ${props.orgName}`}
      footer="Sent by the console's Contact sales form. Reply to the requester directly."
    >
      <Text style={paragraph}>
        {props.requesterName} ({props.requesterEmail}) asks about the Enterprise plan for the organization {props.orgName}.
      </Text>
      <Text style={paragraph}>
        Seats wanted: {props.seats}. Today: the {props.currentPlan} plan with {props.members} members.
      </Text>
      {props.message ? <Text style={{ ...paragraph, whiteSpace: "pre-wrap" }}>{props.message}</Text> : null}
    </EmailLayout>
  );
}

EnterpriseRequest.PreviewProps = {
  orgName: "acme",
  requesterName: "Alice",
  requesterEmail: "alice@example.com",
  seats: 120,
  currentPlan: "Scale",
  members: 48,
  message: "We need SSO and an invoice each quarter.",
} satisfies EnterpriseRequestProps;

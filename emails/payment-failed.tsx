import { Text } from "@react-email/components";

import { EmailLayout, paragraph } from "./layout";

export interface PaymentFailedProps {
  orgName: string;
  invoiceNumber: string;
  amount: string;
  reason: string;
  /** "Dec 3, 2026" for the next retry; null after the last one (the org is past due). */
  nextAttempt: string | null;
  billingUrl: string;
}

export const paymentFailedSubject = (orgName: string, pastDue: boolean) =>
  pastDue ? `${orgName} is past due: update the card to keep your plan` : `A payment for ${orgName} failed`;

export default function PaymentFailed({ orgName, invoiceNumber, amount, reason, nextAttempt, billingUrl }: PaymentFailedProps) {
  return (
    <EmailLayout
      preview={`We could not charge ${amount} for ${orgName} (${invoiceNumber})`}
      heading={nextAttempt ? `A payment for ${orgName} failed` : `${orgName} is past due`}
      action={{ label: "Update the card", href: billingUrl }}
      footer="You receive this e-mail because you own this organization or are its billing contact."
    >
      <Text style={paragraph}>
        We could not charge {amount} for invoice {invoiceNumber} of {orgName}: {reason}
      </Text>
      {nextAttempt ? (
        <Text style={paragraph}>
          We will try again on {nextAttempt}. Updating the card pays the invoice at once; nothing in the organization changes meanwhile.
        </Text>
      ) : (
        <Text style={paragraph}>
          That was the last retry, so {orgName} now has the Starter plan&apos;s limits: no new invitations or apps beyond them. Nothing is
          deleted and no member is removed. Paying with another card restores everything at once.
        </Text>
      )}
    </EmailLayout>
  );
}

PaymentFailed.PreviewProps = {
  orgName: "acme",
  invoiceNumber: "INV-000042",
  amount: "$34.51",
  reason: "Your card was declined.",
  nextAttempt: "Dec 3, 2026",
  billingUrl: "http://localhost:3000/orgs/acme/settings/billing",
} satisfies PaymentFailedProps;

import { Text } from "@react-email/components";

import { EmailLayout, paragraph } from "./layout";

export interface InvoicePaidProps {
  orgName: string;
  invoiceNumber: string;
  amount: string;
  /** "Mar 1 – Apr 1, 2030": what the invoice covers. */
  period: string;
  invoiceUrl: string;
}

export const invoicePaidSubject = (orgName: string, invoiceNumber: string) => `Receipt for ${orgName}: invoice ${invoiceNumber} is paid`;

export default function InvoicePaid({ orgName, invoiceNumber, amount, period, invoiceUrl }: InvoicePaidProps) {
  return (
    <EmailLayout
      preview={`${amount} paid for ${orgName} (${invoiceNumber})`}
      heading={`${amount} paid for ${orgName}`}
      action={{ label: "View the invoice", href: invoiceUrl }}
      footer="You receive this e-mail because you are the billing contact of this organization."
    >
      <Text style={paragraph}>
        We charged {amount} for invoice {invoiceNumber} of {orgName} ({period}). Its page has the lines, the tax and a PDF to download.
      </Text>
    </EmailLayout>
  );
}

InvoicePaid.PreviewProps = {
  orgName: "acme",
  invoiceNumber: "INV-000042",
  amount: "$34.80",
  period: "Mar 1 – Apr 1, 2030",
  invoiceUrl: "http://localhost:3000/orgs/acme/settings/invoices/00000000-0000-0000-0000-000000000000",
} satisfies InvoicePaidProps;

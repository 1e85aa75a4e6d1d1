/** Tones of the billing badges: invoice statuses and the subscription's state. */
const TONES = {
  green: "border-green-200 bg-green-50 text-green-800",
  amber: "border-amber-200 bg-amber-50 text-amber-900",
  red: "border-red-200 bg-red-50 text-red-800",
  sky: "border-sky-200 bg-sky-50 text-sky-800",
  zinc: "border-zinc-200 bg-zinc-100 text-zinc-700",
} as const;

export type BadgeTone = keyof typeof TONES;

export function StatusBadge({ tone, children, testId }: { tone: BadgeTone; children: React.ReactNode; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-flex shrink-0 items-center rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}

export type InvoiceStatus = "draft" | "open" | "paid" | "failed" | "void";

const INVOICE_STATUS: Record<InvoiceStatus, { label: string; tone: BadgeTone }> = {
  draft: { label: "Draft", tone: "zinc" },
  open: { label: "Open", tone: "sky" },
  paid: { label: "Paid", tone: "green" },
  failed: { label: "Failed", tone: "red" },
  void: { label: "Void", tone: "zinc" },
};

/** "Paid", "Failed"…: an invoice's status as a coloured badge. */
export function InvoiceStatusBadge({ status }: { status: InvoiceStatus }) {
  const { label, tone } = INVOICE_STATUS[status];
  return (
    <StatusBadge tone={tone} testId="invoice-status">
      {label}
    </StatusBadge>
  );
}

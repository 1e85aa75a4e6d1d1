"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

const POLL_MS = 2000;
const MAX_POLLS = 45;

/**
 * The answer on return from the payment page. A provider's confirmation arrives
 * by webhook, possibly a moment after the user: while the checkout is still open
 * the page re-reads itself every two seconds, for a minute and a half.
 */
export function CheckoutStatus({
  state,
  cancelled,
  planLabel,
}: {
  state: "open" | "completed" | "expired";
  cancelled: boolean;
  planLabel: string | null;
}) {
  const router = useRouter();
  const [polls, setPolls] = useState(0);
  const waiting = state === "open" && !cancelled && polls < MAX_POLLS;
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => {
      setPolls((count) => count + 1);
      router.refresh();
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [waiting, polls, router]);

  if (state === "completed") {
    return (
      <Banner tone="green">The payment method was saved{planLabel ? ` and the organization is on the ${planLabel} plan` : ""}.</Banner>
    );
  }
  if (cancelled || state === "expired") {
    return <Banner tone="zinc">The checkout was cancelled or has expired. Nothing was charged and nothing changed.</Banner>;
  }
  if (!waiting) {
    return <Banner tone="amber">The payment provider has not confirmed yet. Reload this page in a minute; nothing is lost.</Banner>;
  }
  return (
    <Banner tone="sky">
      <span className="size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent" aria-hidden />
      Waiting for the payment provider to confirm…
    </Banner>
  );
}

const tones = {
  green: "border-green-200 bg-green-50 text-green-800",
  zinc: "border-zinc-200 bg-zinc-50 text-zinc-700",
  amber: "border-amber-200 bg-amber-50 text-amber-800",
  sky: "border-sky-200 bg-sky-50 text-sky-800",
};

function Banner({ tone, children }: { tone: keyof typeof tones; children: React.ReactNode }) {
  return (
    <div
      role="status"
      data-testid="checkout-status"
      className={`flex items-center gap-2 rounded-md border px-4 py-3 text-sm ${tones[tone]}`}
    >
      {children}
    </div>
  );
}

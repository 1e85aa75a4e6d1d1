import { AlertTriangle } from "lucide-react";
import Link from "next/link";

/**
 * Above every page of an org whose payments failed: a failed charge waiting for
 * its retry, or past due (Starter's limits until paid). Those who manage billing
 * get the way to a new card; the others are told what is going on.
 */
export function BillingStateBanner({
  state,
  orgName,
  canManageBilling,
}: {
  state: "payment_failed" | "past_due";
  orgName: string;
  canManageBilling: boolean;
}) {
  const pastDue = state === "past_due";
  return (
    <div
      role="alert"
      data-testid="billing-state-banner"
      data-state={state}
      className={`flex flex-wrap items-center gap-x-4 gap-y-2 rounded-md border px-4 py-3 text-sm print:hidden ${
        pastDue ? "border-red-300 bg-red-50 text-red-900" : "border-amber-300 bg-amber-50 text-amber-900"
      }`}
    >
      <AlertTriangle className="size-4 shrink-0" aria-hidden />
      <p className="min-w-0 flex-1">
        {pastDue ? (
          <>
            <strong className="font-semibold">Payments are past due:</strong> {"the organization has Starter's limits until paid."}
          </>
        ) : (
          <>
            <strong className="font-semibold">A payment failed</strong> — update your card.
            {canManageBilling ? null : " An owner or billing manager can do it."}
          </>
        )}
      </p>
      {canManageBilling ? (
        <Link
          href={`/orgs/${orgName}/settings/billing`}
          className="rounded-md bg-white/70 px-3 py-1.5 font-medium underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-current"
        >
          Update card
        </Link>
      ) : null}
    </div>
  );
}

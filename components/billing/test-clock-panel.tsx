"use client";

import { Clock } from "lucide-react";

import { advanceTestClockAction } from "@/actions/billing";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";

/**
 * Test mode only: billing's date and two buttons that move it forward. Each
 * renews the periods that end meanwhile and runs the charges before the page
 * comes back, so the new invoices and their outcome show at once.
 */
export function TestClockPanel({ orgName, today, ahead }: { orgName: string; today: string; ahead: string | null }) {
  return (
    <div className="space-y-4">
      <div className="flex items-center gap-3 rounded-md border border-dashed border-amber-300 bg-amber-50 px-4 py-3">
        <Clock className="size-5 shrink-0 text-amber-700" aria-hidden />
        <p className="text-sm text-amber-900">
          {"Billing's date is "}
          <strong data-testid="test-clock-now">{today}</strong>
          {ahead ? <span className="text-amber-800"> ({ahead} ahead of real time)</span> : null}.
        </p>
      </div>
      <div className="flex flex-wrap gap-3">
        <AdvanceButton orgName={orgName} days={1} label="Advance 1 day" />
        <AdvanceButton orgName={orgName} days={31} label="Advance 1 month (31 days)" />
      </div>
    </div>
  );
}

function AdvanceButton({ orgName, days, label }: { orgName: string; days: number; label: string }) {
  const [state, formAction] = useFormAction(advanceTestClockAction);
  const failed = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="orgName" value={orgName} />
      <input type="hidden" name="days" value={days} />
      <SubmitButton variant="secondary" pendingLabel="Running billing…">
        {label}
      </SubmitButton>
      <FormMessage error={failed?.formError} />
    </form>
  );
}

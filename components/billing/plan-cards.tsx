"use client";

import { Check } from "lucide-react";

import { changePlanAction } from "@/actions/billing";
import { SubmitButton } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormMessage } from "@/components/ui/field";
import { PermissionNote } from "@/components/ui/permission-note";
import { useFormAction } from "@/components/use-form-action";
import { isUpgrade, PLAN_ORDER, PLANS, type PlanId } from "@/lib/shared/plans";

import { EnterpriseDialog } from "./enterprise-dialog";
import { formatPrice, membersAllowed } from "./plan-text";

const FEATURES: Record<PlanId, string[]> = {
  starter: ["Apps and secrets", "API tokens", "Activity stream"],
  pro: ["Everything in Starter", "E-mail support"],
  scale: ["Everything in Pro", "Priority support"],
  enterprise: ["Everything in Scale", "Custom contract and invoicing", "A named contact"],
};

/**
 * The four plans side by side, from the one plan table, with the move each one
 * offers. `upgradesUnavailable` (why, when no paid plan can be taken on this
 * server) is said once above the cards, and the upgrade buttons are disabled.
 * Without `canManage` (billing.manage) the cards only compare: no buttons, and
 * one note above them says who can change the plan.
 */
export function PlanCards({
  orgName,
  currentPlan,
  hasPaymentMethod,
  upgradesUnavailable,
  canManage,
  schedule,
}: {
  orgName: string;
  currentPlan: PlanId;
  hasPaymentMethod: boolean;
  upgradesUnavailable?: string;
  /** The viewer has billing.manage. */
  canManage: boolean;
  /** The paid plan's subscription (built-in billing): its period's end, and whether it moves to Starter then. */
  schedule?: PlanScheduleView;
}) {
  return (
    <>
      {!canManage ? (
        <PermissionNote permission="billing.manage" />
      ) : upgradesUnavailable ? (
        <p
          role="note"
          data-testid="upgrades-unavailable"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          {upgradesUnavailable}
        </p>
      ) : null}
      <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" aria-label="Plans">
        {PLAN_ORDER.map((id) => {
          const current = id === currentPlan;
          return (
            <li
              key={id}
              data-testid={`plan-${id}`}
              aria-current={current || undefined}
              className={`flex flex-col gap-4 rounded-lg border bg-white p-5 shadow-xs ${current ? "border-zinc-900 ring-1 ring-zinc-900" : "border-zinc-200"}`}
            >
              <div className="space-y-1">
                <div className="flex items-center justify-between gap-2">
                  <h3 className="font-semibold text-zinc-900">{PLANS[id].label}</h3>
                  {current ? (
                    <span className="rounded-full bg-zinc-900 px-2 py-0.5 text-xs font-medium text-white">Current plan</span>
                  ) : id === "starter" && schedule?.cancelScheduled ? (
                    <span
                      className="rounded-full border border-amber-300 bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900"
                      title={`From ${schedule.periodEnd}`}
                    >
                      Scheduled
                    </span>
                  ) : null}
                </div>
                <p className="text-2xl font-semibold tracking-tight text-zinc-900">{formatPrice(id)}</p>
                <p className="text-sm text-zinc-600">{membersAllowed(id)}</p>
              </div>
              <ul className="flex-1 space-y-1.5 text-sm text-zinc-700">
                {FEATURES[id].map((feature) => (
                  <li key={feature} className="flex gap-2">
                    <Check className="mt-0.5 size-4 shrink-0 text-green-600" aria-hidden />
                    {feature}
                  </li>
                ))}
              </ul>
              {current || !canManage || (id === "starter" && schedule?.cancelScheduled) ? null : id === "enterprise" ? (
                <EnterpriseDialog orgName={orgName} />
              ) : isUpgrade(currentPlan, id) ? (
                <UpgradeButton
                  orgName={orgName}
                  plan={id}
                  hasPaymentMethod={hasPaymentMethod}
                  unavailable={Boolean(upgradesUnavailable)}
                  prorated={Boolean(schedule) && currentPlan !== "starter"}
                />
              ) : (
                <ConfirmDialog
                  trigger={`Move to ${PLANS[id].label}`}
                  triggerVariant="secondary"
                  title={`Move ${orgName} to ${PLANS[id].label}?`}
                  description={downgradeDescription(orgName, currentPlan, id, schedule)}
                  confirmLabel={`Move to ${PLANS[id].label}`}
                  action={changePlanAction}
                  fields={{ orgName, plan: id }}
                />
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}

export interface PlanScheduleView {
  /** "Jan 3, 2027": the current period's end. */
  periodEnd: string;
  /** The plan ends then and the org moves to Starter. */
  cancelScheduled: boolean;
}

/** What a move down does: to Starter at the period's end with a subscription, else at once (a paid plan's unused time credited). */
function downgradeDescription(orgName: string, from: PlanId, to: PlanId, schedule: PlanScheduleView | undefined): string {
  const fits = `${PLANS[to].label} allows ${PLANS[to].maxMembers} members, counting pending invitations.`;
  if (schedule && to === "starter") {
    return `${fits} ${orgName} keeps ${PLANS[from].label} until ${schedule.periodEnd}, the end of the period already paid, then moves to Starter. Nothing more is charged for the plan.`;
  }
  if (schedule) {
    return `${fits} The change applies at once; the unused time on ${PLANS[from].label} is credited on the next invoice.`;
  }
  return `${fits} The change applies at once.`;
}

/** "Pro until Jan 3, then Starter", with the way to keep the plan. */
export function ScheduledCancellation({
  orgName,
  plan,
  endsAt,
  canManage,
}: {
  orgName: string;
  plan: PlanId;
  endsAt: string;
  canManage: boolean;
}) {
  const [state, formAction] = useFormAction(changePlanAction);
  const failed = state && !state.ok ? state : undefined;
  return (
    <div
      role="status"
      data-testid="scheduled-cancellation"
      className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900"
    >
      <p>
        <strong className="font-semibold">
          {PLANS[plan].label} until {endsAt}, then Starter.
        </strong>{" "}
        Starter&apos;s limits apply from then; members and apps are kept.
      </p>
      {canManage ? (
        <form action={formAction} className="space-y-2">
          <input type="hidden" name="orgName" value={orgName} />
          <input type="hidden" name="plan" value={plan} />
          <SubmitButton size="sm" pendingLabel="Keeping…">
            Keep {PLANS[plan].label}
          </SubmitButton>
          <FormMessage error={failed?.formError} />
        </form>
      ) : null}
    </div>
  );
}

function UpgradeButton({
  orgName,
  plan,
  hasPaymentMethod,
  unavailable,
  prorated,
}: {
  orgName: string;
  plan: PlanId;
  hasPaymentMethod: boolean;
  unavailable: boolean;
  /** A paid plan already: the rest of the period is charged now, prorated to the day. */
  prorated: boolean;
}) {
  const [state, formAction] = useFormAction(changePlanAction);
  const failed = state && !state.ok ? state : undefined;
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="orgName" value={orgName} />
      <input type="hidden" name="plan" value={plan} />
      <FormMessage error={failed?.formError} />
      <SubmitButton className="w-full" disabled={unavailable} pendingLabel={hasPaymentMethod ? "Upgrading…" : "Opening payment…"}>
        Upgrade to {PLANS[plan].label}
      </SubmitButton>
      {unavailable ? null : hasPaymentMethod ? (
        prorated ? (
          <p className="text-xs text-zinc-500">The rest of this period is charged now, prorated to the day.</p>
        ) : null
      ) : (
        <p className="text-xs text-zinc-500">Asks for billing information and a card.</p>
      )}
    </form>
  );
}

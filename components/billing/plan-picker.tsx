"use client";

import { useState } from "react";

import { isSelfServePlan, PLAN_ORDER, PLANS, type PlanId } from "@/lib/shared/plans";

import { formatPrice, membersAllowed } from "./plan-text";

// Enterprise is arranged with sales, after the org exists.
const CHOICES: PlanId[] = PLAN_ORDER.filter((plan) => plan === "starter" || isSelfServePlan(plan));

/** Step 2 of creating an org: the plan, as radio cards. Paid plans continue to billing and payment. */
export function PlanPicker({ defaultPlan = "starter" }: { defaultPlan?: string }) {
  const [plan, setPlan] = useState(CHOICES.includes(defaultPlan as PlanId) ? defaultPlan : "starter");
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-zinc-800">Plan and payment</legend>
      <div className="grid gap-3 sm:grid-cols-3">
        {CHOICES.map((id) => (
          <label
            key={id}
            className={`flex cursor-pointer flex-col gap-1 rounded-lg border p-3 text-sm has-focus-visible:ring-2 has-focus-visible:ring-zinc-300 ${
              plan === id ? "border-zinc-900 bg-zinc-50" : "border-zinc-200 hover:border-zinc-400"
            }`}
          >
            <span className="flex items-center gap-2">
              <input type="radio" name="plan" value={id} checked={plan === id} onChange={() => setPlan(id)} className="accent-zinc-900" />
              <span className="font-medium text-zinc-900">{PLANS[id].label}</span>
            </span>
            <span className="text-zinc-700">{formatPrice(id)}</span>
            <span className="text-xs text-zinc-500">{membersAllowed(id)}</span>
          </label>
        ))}
      </div>
      <p className="text-sm text-zinc-600" data-testid="plan-picker-hint">
        {plan === "starter"
          ? "Starter is free: no payment information needed."
          : `Next: billing information and a card for ${PLANS[plan as PlanId].label}. The organization is created on Starter and moves to ${PLANS[plan as PlanId].label} once the card is saved.`}{" "}
        Enterprise? Create the organization, then contact sales from its Plan page.
      </p>
    </fieldset>
  );
}

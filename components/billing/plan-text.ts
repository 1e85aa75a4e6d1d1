import { formatMoney } from "@/lib/shared/money";
import { CURRENCY, PLANS, type PlanId } from "@/lib/shared/plans";

export function formatPrice(plan: PlanId): string {
  const cents = PLANS[plan].priceMonthlyCents;
  if (cents === null) return "Contact us";
  return cents === 0 ? "$0" : `${formatMoney(cents, CURRENCY, { whole: true })}/month`;
}

export function membersAllowed(plan: PlanId): string {
  const max = PLANS[plan].maxMembers;
  return max === null ? "Unlimited members" : `Up to ${max} members`;
}

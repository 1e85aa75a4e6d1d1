import { PLANS, type PlanId } from "@/lib/shared/plans";

export function formatPrice(plan: PlanId): string {
  const price = PLANS[plan].priceMonthlyUsd;
  if (price === null) return "Contact us";
  return price === 0 ? "$0" : `$${price}/month`;
}

export function membersAllowed(plan: PlanId): string {
  const max = PLANS[plan].maxMembers;
  return max === null ? "Unlimited members" : `Up to ${max} members`;
}

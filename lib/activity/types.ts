import "server-only";

/**
 * The closed vocabulary of the activity stream: one `object.verb` per kind of
 * change, with its sentence and colour. Pages, the API and exports read this
 * table; adding a kind of change means adding a row here.
 */
import type { ActivityColour, ActivityObject } from "@/lib/shared/activity-entry";

export type { ActivityColour, ActivityObject };

export interface ActivityKind {
  object: ActivityObject;
  sentence: string;
  colour: ActivityColour;
}

export const ACTIVITY_TYPES = {
  "organization.created": { object: "organization", sentence: "Created the organization", colour: "green" },
  "organization.renamed": { object: "organization", sentence: "Renamed the organization", colour: "blue" },
  "organization.deleted": { object: "organization", sentence: "Deleted the organization", colour: "red" },
  "organization.two_factor_required": {
    object: "organization",
    sentence: "Required two-factor authentication of every member",
    colour: "blue",
  },
  "organization.two_factor_not_required": {
    object: "organization",
    sentence: "Stopped requiring two-factor authentication",
    colour: "blue",
  },
  // Accepting an invitation is one change, recorded once, as the join it is.
  "member.joined": { object: "member", sentence: "Accepted the invitation and joined the organization", colour: "green" },
  "member.left": { object: "member", sentence: "Left the organization", colour: "red" },
  "member.removed": { object: "member", sentence: "Removed a member from the organization", colour: "red" },
  "member.role_changed": { object: "member", sentence: "Changed a member's role", colour: "blue" },
  "invitation.sent": { object: "invitation", sentence: "Invited a new member to the organization", colour: "green" },
  "invitation.resent": { object: "invitation", sentence: "Sent an invitation again", colour: "blue" },
  "invitation.removed": { object: "invitation", sentence: "Removed an invitation", colour: "red" },
  "invitation.declined": { object: "invitation", sentence: "Declined the invitation", colour: "red" },
  "api_token.created": { object: "api_token", sentence: "Created an API token", colour: "green" },
  "api_token.deleted": { object: "api_token", sentence: "Deleted an API token", colour: "red" },
  "app.created": { object: "app", sentence: "Created an app", colour: "green" },
  "app.updated": { object: "app", sentence: "Renamed an app", colour: "blue" },
  "app.deleted": { object: "app", sentence: "Deleted an app", colour: "red" },
  "secret.created": { object: "secret", sentence: "Created a secret", colour: "green" },
  "secret.updated": { object: "secret", sentence: "Updated a secret", colour: "blue" },
  "secret.deleted": { object: "secret", sentence: "Deleted a secret", colour: "red" },
  "secret.revealed": { object: "secret", sentence: "Revealed the value of a secret", colour: "grey" },
  "plan.changed": { object: "plan", sentence: "Changed the plan", colour: "blue" },
  "plan.upgrade_failed": { object: "plan", sentence: "Tried to upgrade, but the payment method was declined", colour: "red" },
  "plan.cancel_scheduled": { object: "plan", sentence: "Cancelled the paid plan at the end of the period", colour: "red" },
  "plan.cancel_withdrawn": { object: "plan", sentence: "Kept the paid plan after cancelling it", colour: "blue" },
  "invoice.issued": { object: "invoice", sentence: "Issued an invoice", colour: "grey" },
  "invoice.paid": { object: "invoice", sentence: "Paid an invoice", colour: "green" },
  "invoice.payment_failed": { object: "invoice", sentence: "Failed to charge an invoice", colour: "red" },
  "invoice.voided": { object: "invoice", sentence: "Voided an invoice: nothing is owed on it", colour: "grey" },
  "subscription.past_due": {
    object: "subscription",
    sentence: "Marked the subscription past due: the organization has Starter's limits until it pays",
    colour: "red",
  },
  "subscription.restored": { object: "subscription", sentence: "Restored the subscription after payment", colour: "green" },
  "plan.enterprise_requested": { object: "plan", sentence: "Asked sales about the Enterprise plan", colour: "grey" },
  "billing.updated": { object: "billing", sentence: "Updated the billing information", colour: "blue" },
  "payment_method.added": { object: "payment_method", sentence: "Added a payment method", colour: "green" },
  "payment_method.replaced": { object: "payment_method", sentence: "Replaced the payment method", colour: "blue" },
  "payment_method.removed": { object: "payment_method", sentence: "Removed the payment method", colour: "red" },
} as const satisfies Record<string, ActivityKind>;

export type ActivityType = keyof typeof ACTIVITY_TYPES;

export function isActivityType(value: string): value is ActivityType {
  return Object.hasOwn(ACTIVITY_TYPES, value);
}

/** The colour and object of an activity type (the vocabulary is lib/activity/types.ts). */
export type ActivityColour = "green" | "red" | "blue" | "grey";
export type ActivityObject =
  | "organization"
  | "member"
  | "invitation"
  | "api_token"
  | "app"
  | "secret"
  | "plan"
  | "billing"
  | "payment_method"
  | "invoice"
  | "subscription";

/** An entry as the timeline (a client component) and the JSON feed receive it. */
export interface ActivityEntryView {
  id: number;
  type: string;
  object: ActivityObject | "other";
  colour: ActivityColour;
  sentence: string;
  actorName: string;
  actorEmail: string | null;
  targetLabel: string | null;
  targetHref: string | null;
  createdAt: string;
}

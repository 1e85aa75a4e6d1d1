/** What the invite form shows for each address it was given. */
export type InviteStatus = "invited" | "already_member" | "already_invited" | "invalid" | "duplicate" | "no_seat" | "rate_limited";
export interface InviteOutcome {
  email: string;
  status: InviteStatus;
  message: string;
}

/** A pending invitation as the invitee sees it listed (onboarding, Account → Organizations). */
export interface InvitationForUser {
  id: string;
  orgName: string;
  inviterName: string;
  expiresAt: Date;
}

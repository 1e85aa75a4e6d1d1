import "server-only";

/**
 * Who performs a change, passed explicitly to every domain function. The name
 * and email are snapshots written into the activity stream.
 */
export interface Actor {
  userId: string;
  name: string;
  email: string;
  ip?: string | null;
  userAgent?: string | null;
  /** Set when the change comes through the REST API with an API token. */
  tokenId?: string | null;
  tokenName?: string | null;
}

/**
 * The console itself, as the actor of what it does on its own schedule: renewing
 * a subscription, recording a charge's outcome. Its entries have no user.
 */
export interface SystemActor {
  userId: null;
  name: string;
  email: null;
  ip?: null;
  userAgent?: null;
  tokenId?: null;
  tokenName?: null;
}

export const BILLING_SYSTEM: SystemActor = { userId: null, name: "Billing", email: null };

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

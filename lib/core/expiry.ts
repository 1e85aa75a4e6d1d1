import "server-only";

import { sql, type AnyColumn, type SQL } from "drizzle-orm";

/**
 * Whether a row has expired, decided by the database clock (the one every
 * instance shares), never the app's: `expires_at <= now()`.
 */
export function hasExpired(expiresAt: AnyColumn): SQL<boolean> {
  return sql<boolean>`${expiresAt} <= now()`;
}

/** The opposite, for WHERE clauses: still valid now. */
export function notExpired(expiresAt: AnyColumn): SQL<boolean> {
  return sql<boolean>`${expiresAt} > now()`;
}

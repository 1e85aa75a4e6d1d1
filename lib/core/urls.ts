import "server-only";

import { env } from "./env";

/** Links in e-mails are built from APP_URL, never from the request's Host header. */
export function appUrl(path: string): string {
  return new URL(path, env().APP_URL).toString();
}

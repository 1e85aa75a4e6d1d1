import "server-only";

import { env } from "@/lib/core/env";

const MAX_LENGTH = 2000;
// Browsers drop tab, CR and LF from URLs ("/\t/evil.example" becomes "//evil.example")
// and treat "\" as "/"; control characters in a Location header also make it a 500.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\]/;

/**
 * Where to send a user back to after sign-in or sign-up: only a path on the
 * app's own origin. The value is resolved against APP_URL and rebuilt from its
 * pathname, query and fragment, so what is followed is exactly what was checked.
 */
export function safeReturnPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.length > MAX_LENGTH || UNSAFE.test(value)) return fallback;
  let url: URL;
  let base: URL;
  try {
    base = new URL(env().APP_URL);
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can resolve to "//host" ("/..//evil.example"), which a browser reads as another host.
  if (!path.startsWith("/") || path.startsWith("//") || path.length > MAX_LENGTH) return fallback;
  return path;
}

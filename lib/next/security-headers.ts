/**
 * The security headers of every answer. Pure functions, shared by proxy.ts (the
 * Content-Security-Policy with a fresh nonce per request, and HSTS over https)
 * and next.config.ts (the headers that never change, on every path).
 */

/** The request's path, set by proxy.ts for layouts (which are not told it); any value a client sent is replaced. */
export const REQUEST_PATH_HEADER = "x-console-path";
/** Each request's id: the one a trusted proxy sent (a UUID), else a fresh one; logged with every line of the request and returned in the answer. */
export const REQUEST_ID_HEADER = "x-request-id";

/** Paths whose URL holds a secret (invitation, reset and verification links): never sent on as a referrer. */
export const SECRET_LINK_PATHS = ["/invitations/:path*", "/reset-password/:path*", "/verify-email/:path*", "/confirm-email/:path*"];

export const STATIC_SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  // Refusing to be framed, for browsers that predate CSP's frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];

export const NO_REFERRER = { key: "Referrer-Policy", value: "no-referrer" };

/** Two years, subdomains included: sent only on answers that came over https. */
export const HSTS = "max-age=63072000; includeSubDomains";

/**
 * The policy for one response. Scripts run only with this request's nonce (Next.js
 * puts it on its own scripts when it finds the policy on the request), and what
 * they load ('strict-dynamic'). Styles allow inline attributes: the UI's popovers
 * and toasts position themselves with them. No one may frame a page.
 * Development adds 'unsafe-eval', which React's dev tooling needs.
 */
export function contentSecurityPolicy({ nonce, dev, https }: { nonce: string; dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** A fresh, unguessable nonce: 16 random bytes, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

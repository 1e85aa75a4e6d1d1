import "server-only";

import { decode, type JWT } from "next-auth/jwt";

/**
 * Reading next-auth's session cookie without next-auth's `auth()`: pages only
 * need the three claims (lib/next/next-auth.ts), and `auth()` pays for a key
 * derivation, a decryption and a re-encryption of a rolled cookie that a server
 * component cannot even set, on every request. Here the cookie is decrypted with
 * next-auth's own `decode` (same secret, same salt: the cookie's name) once per
 * distinct cookie, then remembered until its `exp`. Sign-in and sign-out still go
 * through next-auth, which writes the cookie.
 */

/** What a session cookie carries: the user, the session version and the server-side session's id. */
export interface SessionClaims {
  userId?: string;
  sessionVersion?: number;
  sessionId?: string;
}

const BASE_NAME = "authjs.session-token";

/**
 * next-auth's rule for the cookie's name: `__Secure-` when the URL it builds for
 * the request is https, that is AUTH_URL (or NEXTAUTH_URL) when set, else the
 * X-Forwarded-Proto header (which Next.js always sets), else https.
 */
export function sessionCookieName(request: { configuredUrl?: string; forwardedProto: string | null }): string {
  let protocol: string;
  if (request.configuredUrl) protocol = new URL(request.configuredUrl).protocol;
  else {
    const proto = request.forwardedProto ?? "https";
    protocol = proto.endsWith(":") ? proto : `${proto}:`;
  }
  return protocol === "https:" ? `__Secure-${BASE_NAME}` : BASE_NAME;
}

/**
 * The session cookie's value in a Cookie header: `undefined` when there is none,
 * `"chunked"` when next-auth split it over several cookies (name.0, name.1…; ours
 * is far below the 4 KB that needs) or anything else starts with the name: those
 * rare cases are left to next-auth's own reader. Like next-auth's parser, the
 * first of two cookies with the same name wins.
 */
export function findSessionCookie(cookieHeader: string, name: string): string | "chunked" | undefined {
  let value: string | undefined;
  for (const pair of cookieHeader.split(";")) {
    const equals = pair.indexOf("=");
    if (equals < 0) continue;
    const key = pair.slice(0, equals).trim();
    if (!key.startsWith(name)) continue;
    if (key !== name) return "chunked";
    if (value === undefined) value = unquote(pair.slice(equals + 1).trim());
  }
  return value === "" ? undefined : value;
}

function unquote(value: string): string {
  const bare = value.length > 1 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  if (!bare.includes("%")) return bare;
  try {
    return decodeURIComponent(bare);
  } catch {
    return bare;
  }
}

// jose's leeway for `exp` in next-auth's decode: a token is accepted until 15 s after it.
const CLOCK_TOLERANCE_SECONDS = 15;
// One entry per signed-in browser seen lately; the oldest goes first when full.
const CACHE_LIMIT = 1000;
const decoded = new Map<string, { claims: SessionClaims; exp: number }>();

/**
 * The claims of a session cookie, or `undefined` (signed out) for one that does not
 * decrypt with this secret and name (tampered, forged, from another deployment) or
 * has expired. Only cookies that decrypted are remembered, keyed by name and value,
 * and each only until its `exp`: what an unknown cookie costs is one decryption.
 */
export async function decodeSessionCookie(
  value: string,
  { secret, name, now = Date.now() }: { secret: string; name: string; now?: number },
): Promise<SessionClaims | undefined> {
  const key = `${name}=${value}`;
  const nowSeconds = Math.floor(now / 1000);
  const hit = decoded.get(key);
  if (hit) {
    if (hit.exp > nowSeconds - CLOCK_TOLERANCE_SECONDS) return hit.claims;
    decoded.delete(key);
    return undefined;
  }
  let payload: JWT | null;
  try {
    payload = await decode({ token: value, secret, salt: name });
  } catch {
    return undefined;
  }
  if (!payload) return undefined;
  // The claims as next-auth's session callback (lib/next/next-auth.ts) maps them.
  const claims: SessionClaims = {
    userId: typeof payload.sub === "string" && payload.sub ? payload.sub : undefined,
    sessionVersion: typeof payload.sv === "number" ? payload.sv : undefined,
    sessionId: typeof payload.sid === "string" ? payload.sid : undefined,
  };
  if (typeof payload.exp === "number") {
    if (decoded.size >= CACHE_LIMIT) decoded.delete(decoded.keys().next().value!);
    decoded.set(key, { claims, exp: payload.exp });
  }
  return claims;
}

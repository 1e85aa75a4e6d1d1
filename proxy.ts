import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, HSTS, newNonce } from "@/lib/security-headers";

/**
 * Security headers only: a Content-Security-Policy with a fresh nonce per request
 * (Next.js reads it from the request to put the nonce on its scripts), and HSTS
 * when the request came over https. No business rules here: access is checked in
 * lib/ on every page, action and route (see docs on CVE-2025-29927).
 * The headers that never change are in next.config.ts.
 */
export function proxy(request: NextRequest) {
  const https = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" || request.nextUrl.protocol === "https:";
  // NODE_ENV is fixed by Next.js at build time: development only under `next dev`.
  const policy = contentSecurityPolicy({ nonce: newNonce(), dev: process.env.NODE_ENV === "development", https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  if (https) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  // Everything but the build's static files (they carry next.config.ts's headers).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};

import { NextResponse, type NextRequest } from "next/server";

import { contentSecurityPolicy, HSTS, newNonce, REQUEST_ID_HEADER, REQUEST_PATH_HEADER } from "@/lib/next/security-headers";
import { DOCUMENT_REQUEST_HEADER } from "@/lib/shared/document-request";
import { FORM_BODY_LIMIT_BYTES, FORM_TOO_LARGE_MESSAGE } from "@/lib/shared/form-state";

/**
 * HTTP plumbing only: a Content-Security-Policy with a fresh nonce per request
 * (Next.js reads it from the request to put the nonce on its scripts), HSTS when
 * the request came over https, the request's path for layouts, and a clear 413
 * for a server action over the body limit. No business rules here: access is
 * checked in lib/ on every page, action and route (see CVE-2025-29927).
 * The headers that never change are in next.config.ts.
 */
export function proxy(request: NextRequest) {
  // A server action over the body limit: Next.js would answer 500; say 413, in words the form shows.
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (request.method === "POST" && request.headers.has("next-action") && declared > FORM_BODY_LIMIT_BYTES) {
    return new NextResponse(FORM_TOO_LARGE_MESSAGE, { status: 413, headers: { "content-type": "text/plain" } });
  }
  const https = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" || request.nextUrl.protocol === "https:";
  // NODE_ENV is fixed by Next.js at build time: development only under `next dev`.
  const policy = contentSecurityPolicy({ nonce: newNonce(), dev: process.env.NODE_ENV === "development", https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  requestHeaders.set(REQUEST_PATH_HEADER, request.nextUrl.pathname);
  // A browser asks for a page as text/html; Next.js's router and server actions fetch RSC payloads
  // without it (Next.js hides its own RSC headers from the proxy, so the Accept header decides).
  const documentRequest = (request.headers.get("accept") ?? "").includes("text/html") && !request.headers.has("next-action");
  requestHeaders.set(DOCUMENT_REQUEST_HEADER, documentRequest ? "1" : "0");
  const incomingId = request.headers.get(REQUEST_ID_HEADER) ?? "";
  const requestId = /^[0-9a-f-]{36}$/i.test(incomingId) ? incomingId : crypto.randomUUID();
  requestHeaders.set(REQUEST_ID_HEADER, requestId);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  if (https) response.headers.set("Strict-Transport-Security", HSTS);
  return response;
}

export const config = {
  // Everything but the build's static files (they carry next.config.ts's headers).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};

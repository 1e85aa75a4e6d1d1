import "server-only";

/**
 * The client's address for rate limits and the activity stream: the right-most
 * X-Forwarded-For hop (the one our own proxy appended, which the client cannot
 * forge), else X-Real-IP. Behind several proxies, this is the nearest one.
 */
export function clientIpFrom(headers: Pick<Headers, "get">): string {
  const forwarded = headers
    .get("x-forwarded-for")
    ?.split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  return forwarded?.at(-1) ?? headers.get("x-real-ip") ?? "unknown";
}

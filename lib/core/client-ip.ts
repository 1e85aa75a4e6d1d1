import "server-only";

import { isIP } from "node:net";

import { env } from "./env";
import { socketAddressFrom } from "./socket-address";

/**
 * What stands for the address when there is none to trust (no socket address:
 * outside `next start`, or a proxy hop that is not an IP). Rate limits then share
 * one "unknown" bucket, which fails closed rather than letting a client pick a new
 * key per request; with the instrumentation hook running it does not happen for
 * direct clients. Never stored as an address (lib/activity/record.ts keeps IPs only).
 */
export const UNKNOWN_IP = "unknown";

/**
 * The client's address for rate limits and the activity stream.
 *
 * By default (TRUSTED_PROXY_HOPS=0) it is the TCP peer (lib/core/socket-address.ts),
 * and X-Forwarded-For and X-Real-IP, which any client can send, are ignored.
 * Behind N proxies that each append the address they received from to
 * X-Forwarded-For, the chain read from the app outwards is
 * [peer, last hop, ..., first hop]; the N-th entry is the address the outermost
 * trusted proxy saw, and everything left of it is the client's to invent.
 */
export function clientIpFrom(headers: Pick<Headers, "get">, options: { trustedProxyHops?: number } = {}): string {
  const hops = options.trustedProxyHops ?? env().TRUSTED_PROXY_HOPS;
  const peer = socketAddressFrom(headers);
  if (hops === 0) return asIp(peer) ?? UNKNOWN_IP;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const chain = [peer, ...forwarded.reverse()];
  // Fewer entries than hops: the furthest one there is (as Express's "trust proxy" does).
  return asIp(chain[Math.min(hops, chain.length - 1)]) ?? UNKNOWN_IP;
}

/** The address if it parses as IPv4 or IPv6 (an IPv4-mapped IPv6 address as plain IPv4), else undefined. */
export function asIp(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const address = value.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return isIP(address) ? address : undefined;
}

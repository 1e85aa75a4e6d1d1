import { randomBytes } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

import { safeEqual } from "./secure-token";

/**
 * The address of the TCP peer of a request, which Next.js does not expose to
 * pages, actions or route handlers (NextRequest lost `ip` in v15, and Next only
 * fills X-Forwarded-For with it when the client sent none).
 *
 * instrumentation.ts installs this hook in the server process. Node publishes
 * every incoming request on the "http.server.request.start" channel before the
 * request reaches Next, and the hook overwrites a private header with
 * "<secret> <address>": a client's own copy of that header is replaced, and one
 * sent to a request that arrived before the hook was installed lacks the
 * secret, which is random per process, so it is ignored.
 */
export const SOCKET_ADDRESS_HEADER = "x-console-socket-address";

// On globalThis: instrumentation and the app's routes are separate bundles that share the process.
const STATE = Symbol.for("console.socket-address");
type Global = typeof globalThis & { [STATE]?: { secret: string; onRequest: (message: unknown) => void } };

export function installSocketAddressHeader(): void {
  const global = globalThis as Global;
  if (global[STATE]) return;
  const secret = randomBytes(16).toString("hex");
  const onRequest = (message: unknown) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    stampSocketAddress(request.headers, socket.remoteAddress);
  };
  // Kept on globalThis so the subscriber is strongly referenced for the life of the process.
  global[STATE] = { secret, onRequest };
  subscribe("http.server.request.start", onRequest);
}

/** Writes a request's peer address into its headers, as the hook does (integration tests play the server with it). */
export function stampSocketAddress(headers: Record<string, string | string[] | undefined>, address: string | undefined): void {
  const state = (globalThis as Global)[STATE];
  if (!state) throw new Error("installSocketAddressHeader() must run first");
  headers[SOCKET_ADDRESS_HEADER] = `${state.secret} ${address ?? ""}`;
}

/** The peer address the hook recorded for this request, or undefined (no hook, or a value it did not write). */
export function socketAddressFrom(headers: Pick<Headers, "get">): string | undefined {
  const state = (globalThis as Global)[STATE];
  const value = headers.get(SOCKET_ADDRESS_HEADER);
  if (!state || !value) return undefined;
  const [secret = "", address] = value.split(" ");
  return safeEqual(secret, state.secret) && address ? address : undefined;
}

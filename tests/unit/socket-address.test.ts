import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { clientIpFrom } from "@/lib/core/client-ip";
import { installSocketAddressHeader, SOCKET_ADDRESS_HEADER } from "@/lib/core/socket-address";

/**
 * What `next start` does with instrumentation.ts: the hook is installed in the
 * server process, and every request then carries the address of the TCP peer in a
 * private header, whatever the client sent.
 */
describe("the socket address of a request (instrumentation hook)", () => {
  let url = "";
  let received: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    received.push(request.headers);
    response.end();
  });

  beforeAll(async () => {
    installSocketAddressHeader();
    installSocketAddressHeader(); // idempotent (the dev server may register twice)
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function ipOf(headers: Record<string, string>, trustedProxyHops = 0): Promise<string> {
    received = [];
    await fetch(url, { headers });
    const [headersSeen] = received;
    const list = new Headers();
    for (const [name, value] of Object.entries(headersSeen!)) if (typeof value === "string") list.set(name, value);
    return clientIpFrom(list, { trustedProxyHops });
  }

  it("is the socket's peer, not X-Forwarded-For or X-Real-IP", async () => {
    expect(await ipOf({})).toBe("127.0.0.1");
    expect(await ipOf({ "x-forwarded-for": "6.6.6.6", "x-real-ip": "6.6.6.6" })).toBe("127.0.0.1");
  });

  it("cannot be forged by sending the private header", async () => {
    expect(await ipOf({ [SOCKET_ADDRESS_HEADER]: "6.6.6.6" })).toBe("127.0.0.1");
    expect(await ipOf({ [SOCKET_ADDRESS_HEADER]: "0123456789abcdef 6.6.6.6" })).toBe("127.0.0.1");
  });

  it("a value that was not written by this process is ignored", () => {
    expect(clientIpFrom(new Headers({ [SOCKET_ADDRESS_HEADER]: "not-the-secret 6.6.6.6" }))).toBe("unknown");
  });

  it("behind one trusted proxy, the hop that proxy appended; without X-Forwarded-For, the peer", async () => {
    expect(await ipOf({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }, 1)).toBe("203.0.113.9");
    expect(await ipOf({}, 1)).toBe("127.0.0.1");
  });
});

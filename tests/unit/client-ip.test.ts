import { describe, expect, it } from "vitest";

import { clientIpFrom, UNKNOWN_IP } from "@/lib/core/client-ip";
import { env } from "@/lib/core/env";
import { pickLandingOrg } from "@/lib/orgs/memberships";

describe("clientIpFrom", () => {
  // Without `next start` (and its instrumentation hook) there is no socket address
  // in these headers: what is left to decide is which headers are believed.
  it("by default (TRUSTED_PROXY_HOPS=0) ignores X-Forwarded-For and X-Real-IP, which any client can send", () => {
    expect(env().TRUSTED_PROXY_HOPS).toBe(0);
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "6.6.6.6" }))).toBe(UNKNOWN_IP);
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "6.6.6.6, 10.0.0.7" }))).toBe(UNKNOWN_IP);
    expect(clientIpFrom(new Headers({ "x-real-ip": "5.6.7.8" }))).toBe(UNKNOWN_IP);
    expect(clientIpFrom(new Headers())).toBe(UNKNOWN_IP);
  });

  it("rotating X-Forwarded-For does not give a client a new address (no way around the per-IP limit)", () => {
    const seen = new Set([1, 2, 3, 4].map((n) => clientIpFrom(new Headers({ "x-forwarded-for": `198.51.100.${n}` }))));
    expect([...seen]).toEqual([UNKNOWN_IP]);
  });

  it("behind N trusted proxies, takes the address the N-th proxy from the app saw", () => {
    const hops = (trustedProxyHops: number, forwarded: string) =>
      clientIpFrom(new Headers({ "x-forwarded-for": forwarded }), { trustedProxyHops });
    // client 6.6.6.6 forged the first entry; our one proxy appended the real client, 203.0.113.9.
    expect(hops(1, "6.6.6.6, 203.0.113.9")).toBe("203.0.113.9");
    // A CDN in front of the load balancer: two hops.
    expect(hops(2, "6.6.6.6, 203.0.113.9, 198.51.100.20")).toBe("203.0.113.9");
    expect(hops(1, " 1.2.3.4 ,, ")).toBe("1.2.3.4");
    expect(hops(1, "2001:db8::1")).toBe("2001:db8::1");
    expect(hops(1, "::ffff:192.0.2.1")).toBe("192.0.2.1");
  });

  it("never returns something that is not an IP address", () => {
    const hops = (forwarded: string) => clientIpFrom(new Headers({ "x-forwarded-for": forwarded }), { trustedProxyHops: 1 });
    for (const forged of ["+1+1", "unknown", "<script>", "1.2.3.4:5678", "999.1.1.1", "example.com", "1.2.3.4 5.6.7.8"]) {
      expect(hops(forged), forged).toBe(UNKNOWN_IP);
    }
  });
});

describe("pickLandingOrg", () => {
  const orgs = [
    { id: "a", name: "alpha" },
    { id: "b", name: "beta" },
  ];
  it("lands in the last org used while the user still belongs to it, else the first", () => {
    expect(pickLandingOrg(orgs, "b")).toBe("beta");
    expect(pickLandingOrg(orgs, "gone")).toBe("alpha");
    expect(pickLandingOrg(orgs, null)).toBe("alpha");
    expect(pickLandingOrg([], "b")).toBeUndefined();
  });
});

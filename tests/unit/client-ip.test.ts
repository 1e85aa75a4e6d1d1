import { describe, expect, it } from "vitest";
import { clientIpFrom } from "@/lib/core/client-ip";
import { pickLandingOrg } from "@/lib/orgs/memberships";

describe("clientIpFrom", () => {
  it("takes the right-most forwarded hop, which a client cannot forge", () => {
    expect(clientIpFrom(new Headers({ "x-forwarded-for": "6.6.6.6, 10.0.0.7" }))).toBe("10.0.0.7");
    expect(clientIpFrom(new Headers({ "x-forwarded-for": " 1.2.3.4 ,, " }))).toBe("1.2.3.4");
  });
  it("falls back to X-Real-IP, then to 'unknown'", () => {
    expect(clientIpFrom(new Headers({ "x-real-ip": "5.6.7.8" }))).toBe("5.6.7.8");
    expect(clientIpFrom(new Headers())).toBe("unknown");
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

import { describe, expect, it } from "vitest";

import { parseActivityFilters } from "@/lib/activity/filters";
import { decodeKeysetCursor, encodeKeysetCursor, isTimestampText } from "@/lib/core/keyset-cursor";

const ACTOR = "4f1c2b9e-6a7d-4e3f-9c1b-2d3e4f5a6b7c";

describe("parseActivityFilters", () => {
  it("nothing given → no filter", () => {
    expect(parseActivityFilters({})).toEqual({ types: undefined, actorId: undefined, from: undefined, to: undefined });
  });

  it("types: repeated or comma-separated, de-duplicated; unknown ones dropped", () => {
    expect(parseActivityFilters({ type: "member.left" }).types).toEqual(["member.left"]);
    expect(parseActivityFilters({ type: ["member.left", "invitation.sent,member.joined", "member.left"] }).types).toEqual([
      "member.left",
      "invitation.sent",
      "member.joined",
    ]);
    expect(parseActivityFilters({ type: ["member.left", "member.exploded", "toString", "__proto__", "", "MEMBER.LEFT"] }).types).toEqual([
      "member.left",
    ]);
    expect(parseActivityFilters({ type: "nope,also.nope" }).types, "only unknown types → no type filter").toBeUndefined();
  });

  it("actor: a UUID, anything else dropped", () => {
    expect(parseActivityFilters({ actor: ACTOR }).actorId).toBe(ACTOR);
    for (const actor of ["", "me", "1", `${ACTOR}x`, "' or 1=1 --", "x".repeat(36)])
      expect(parseActivityFilters({ actor }).actorId, actor).toBeUndefined();
  });

  it("from is the start of its UTC day; to is inclusive: the start of the next UTC day (exclusive)", () => {
    const filters = parseActivityFilters({ from: "2024-03-02", to: "2024-03-03" });
    expect(filters.from?.toISOString()).toBe("2024-03-02T00:00:00.000Z");
    expect(filters.to?.toISOString()).toBe("2024-03-04T00:00:00.000Z");
    expect(parseActivityFilters({ to: "2024-12-31" }).to?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(parseActivityFilters({ to: "2024-02-29" }).to?.toISOString()).toBe("2024-03-01T00:00:00.000Z");
  });

  it("malformed dates are dropped", () => {
    for (const value of [
      "",
      "yesterday",
      "2024-3-2",
      "2024/03/02",
      "02-03-2024",
      "2024-03-02T10:00",
      "2024-03-02 ",
      "20240302",
      "2024-13-01",
      "2024-00-10",
      "2024-03-00",
      "2024-03-32",
    ]) {
      expect(parseActivityFilters({ from: value, to: value }), JSON.stringify(value)).toMatchObject({ from: undefined, to: undefined });
    }
  });

  it("dates that do not exist on the calendar (Feb 30, Apr 31, Feb 29 of a common year) are dropped, not rolled over", () => {
    for (const value of ["2024-02-30", "2024-02-31", "2024-04-31", "2023-02-29"]) {
      expect(parseActivityFilters({ from: value, to: value }), value).toMatchObject({ from: undefined, to: undefined });
    }
  });
});

describe("keyset cursor", () => {
  it("round-trips a key", () => {
    const key = { at: "2024-03-01 12:00:00.123456+00", id: 17 };
    expect(decodeKeysetCursor(encodeKeysetCursor(key))).toEqual(key);
    expect(encodeKeysetCursor(key)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("garbage decodes to nothing, never throws", () => {
    for (const value of [
      undefined,
      null,
      42,
      {},
      [],
      "",
      "garbage",
      "%%%",
      "x".repeat(301),
      encodeKeysetCursor(["a"]).slice(0, 3),
      Buffer.from("null").toString("base64url"),
      Buffer.from("7").toString("base64url"),
    ]) {
      expect(() => decodeKeysetCursor(value)).not.toThrow();
      const decoded = decodeKeysetCursor(value);
      expect(decoded === undefined || typeof decoded === "object", String(value)).toBe(true);
    }
    expect(decodeKeysetCursor("x".repeat(301))).toBeUndefined();
    expect(decodeKeysetCursor(Buffer.from("null").toString("base64url"))).toBeUndefined();
  });

  it("isTimestampText accepts what timestamptz::text prints, refuses the rest", () => {
    for (const value of ["2024-03-01 12:00:00+00", "2024-03-01 12:00:00.123456+00", "2024-03-01 12:00:00.5+05:30", "2024-03-01T12:00:00Z"])
      expect(isTimestampText(value), value).toBe(true);
    for (const value of [
      1,
      "",
      "yesterday",
      "2024-03-01",
      "2024-03-01 12:00",
      "2024-03-01 12:00:00.1234567+00",
      `2024-03-01 12:00:00+00${" ".repeat(30)}`,
      "2024-03-01 12:00:00+00; drop table activities",
    ]) {
      expect(isTimestampText(value), String(value)).toBe(false);
    }
  });
});

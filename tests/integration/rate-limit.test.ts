import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";

import { openDatabase } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { describeRetryAfter, hitRateLimit } from "@/lib/core/rate-limit";

import { setupTestDatabase } from "../helpers/db";
import { awayFromWindowEdge } from "../helpers/rate-limit";

const t = setupTestDatabase();
const uniqueKey = (label: string) => `test:${label}:${randomBytes(6).toString("hex")}`;

describe("hitRateLimit", () => {
  it("allows `limit` hits in a window, then refuses, with a retry-after inside the window", async () => {
    await awayFromWindowEdge(3600);
    const key = uniqueKey("sequential");
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await hitRateLimit(t.db, key, 3, 3600));

    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.count)).toEqual([1, 2, 3, 4]);
    for (const r of results) {
      expect(r.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(r.retryAfterSeconds).toBeLessThanOrEqual(3600);
    }
    // Positive control: another key has its own counter.
    expect((await hitRateLimit(t.db, uniqueKey("other"), 3, 3600)).allowed).toBe(true);
  });

  it("allows exactly `limit` of 30 parallel hits", async () => {
    await awayFromWindowEdge(3600);
    const key = uniqueKey("parallel");
    const results = await Promise.all(Array.from({ length: 30 }, () => hitRateLimit(t.db, key, 10, 3600)));

    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    // Every hit counted once: the counts are exactly 1..30.
    expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const [row] = await t.db
      .select({ count: rateLimits.count })
      .from(rateLimits)
      .where(sql`${rateLimits.key} = ${key}`);
    expect(row!.count).toBe(30);
  });

  it.runIf(process.env.TEST_DB === "postgres")("allows exactly `limit` of 40 parallel hits spread over two clients", async () => {
    const url = t.url;
    if (!url) throw new Error("the postgres test database has no URL");
    const a = await openDatabase({ url, maxConnections: 10 });
    const b = await openDatabase({ url, maxConnections: 10 });
    try {
      await awayFromWindowEdge(3600);
      const key = uniqueKey("two-instances");
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => hitRateLimit((i % 2 ? a : b).db, key, 10, 3600)));
      expect(results.filter((r) => r.allowed)).toHaveLength(10);
      expect(Math.max(...results.map((r) => r.count))).toBe(40);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("windows are aligned, so a key counts again from 1 in a new window", async () => {
    const key = uniqueKey("window");
    await hitRateLimit(t.db, key, 1, 3600);
    // Move the current window back in time: the next hit opens a new one.
    await t.db
      .update(rateLimits)
      .set({ windowStart: sql`${rateLimits.windowStart} - interval '2 hours'` })
      .where(sql`${rateLimits.key} = ${key}`);
    const fresh = await hitRateLimit(t.db, key, 1, 3600);
    expect(fresh).toMatchObject({ allowed: true, count: 1 });
  });
});

describe("describeRetryAfter", () => {
  it("speaks in minutes", () => {
    expect(describeRetryAfter(1)).toBe("in a minute");
    expect(describeRetryAfter(60)).toBe("in a minute");
    expect(describeRetryAfter(61)).toBe("in 2 minutes");
    expect(describeRetryAfter(900)).toBe("in 15 minutes");
  });
});

import { describe, expect, it } from "vitest";

import { checkReadiness } from "@/lib/jobs/health";

import { setupTestDatabase } from "../helpers/db";

const t = setupTestDatabase();

describe("readiness", () => {
  it("is ready when the database answers and the job queue is installed (workers run apart)", async () => {
    const readiness = await checkReadiness(async () => t.database, { workersInProcess: false });
    expect(readiness).toEqual({ ready: true, checks: { database: "ok", queue: "ok", workers: "separate (JOBS_IN_PROCESS=false)" } });
  });

  it("is not ready, and says why, when the database cannot be reached", async () => {
    const readiness = await checkReadiness(() => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432")), {
      workersInProcess: false,
    });
    expect(readiness.ready).toBe(false);
    expect(readiness.checks.database).toMatch(/unavailable: connect ECONNREFUSED/);
  });

  it("is not ready when this process should run workers and none runs", async () => {
    const readiness = await checkReadiness(async () => t.database, { workersInProcess: true });
    expect(readiness).toMatchObject({ ready: false, checks: { database: "ok", queue: "ok", workers: "not running" } });
  });
});

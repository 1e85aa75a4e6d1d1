import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * The scale-out and fault suite (tests/scale): two `next start` instances of the
 * production build, a worker process, PgBouncer in transaction mode and a PostgreSQL
 * of its own, per test file. Needs `next build` first; run after the main suite:
 *   npx next build && npx vitest run --config vitest.scale.config.ts
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      { find: /^server-only$/, replacement: `${root}/tests/setup/server-only.ts` },
    ],
  },
  test: {
    name: "scale",
    environment: "node",
    include: ["tests/scale/**/*.test.ts"],
    // One stack at a time: each is two Next servers, a worker and two databases' worth of processes.
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 180_000,
    hookTimeout: 240_000,
    env: {
      NODE_ENV: "test",
      // The same secrets as the processes under test (tests/scale/harness.ts SCALE_ENV): seeding happens here.
      AUTH_SECRET: "scale-test-secret-not-for-production-0123456789",
      SECRETS_KEY: "eGYgkAqMgCcAg4e7zAsAl9n1p9RQMrvcs9hp36LLK4E=",
      APP_URL: "http://localhost:3000",
      LOG_LEVEL: "error",
    },
    setupFiles: ["tests/setup/clean-env.ts"],
  },
});

import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));
const integrationTests = ["tests/integration/**/*.test.ts"];

/**
 * Three projects:
 *   unit      pure logic (lib/**\/*.test.ts, tests/unit), run once
 *   pglite    tests/integration on an in-memory PGlite
 *   postgres  the same files on a real PostgreSQL (TEST_DATABASE_URL; fails without it)
 * Locally: `npx vitest run --project unit --project pglite` needs no server.
 */
export default defineConfig({
  resolve: {
    // `@/x` is the project root, as in tsconfig.json. A regex, so `@electric-sql/...` is left alone.
    // `server-only` throws unless imported under React Server Components; tests call lib/ directly.
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      { find: /^server-only$/, replacement: `${root}/tests/setup/server-only.ts` },
    ],
  },
  test: {
    environment: "node",
    // Each test file builds its own database (PGlite: 3–5 s and ~700 MB), so two at a
    // time is what a 2-core machine can take.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: {
      NODE_ENV: "test",
      AUTH_SECRET: "test-secret-for-vitest-only-0123456789abcdef",
      // Test-only key for secret values (32 bytes, base64).
      SECRETS_KEY: "eGYgkAqMgCcAg4e7zAsAl9n1p9RQMrvcs9hp36LLK4E=",
      APP_URL: "http://localhost:3000",
      MAIL_FROM: "Console Tests <noreply@example.test>",
      // Low limits so rate-limit tests stay short; every test uses its own emails and IPs.
      SIGN_IN_LIMIT_PER_ACCOUNT: "5",
      SIGN_IN_LIMIT_PER_IP: "20",
      EMAIL_LINK_LIMIT_PER_ACCOUNT: "5",
      // Expected failures (a provider outage, a dead job) log warnings; tests show only errors.
      LOG_LEVEL: "error",
    },
    // Drops RESEND_API_KEY, DATABASE_URL... that a developer's shell may carry: the
    // outbox transport is the default (tests/integration/mail-resend.test.ts sets its own).
    setupFiles: ["tests/setup/clean-env.ts"],
    // The outbox transport logs every e-mail; in tests that is noise (failures still print).
    onConsoleLog: (log) => (log.startsWith("[mail] to=") ? false : undefined),
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["lib/**/*.test.ts", "tests/unit/**/*.test.ts"] },
      },
      {
        extends: true,
        test: { name: "pglite", include: integrationTests, env: { TEST_DB: "pglite" } },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: integrationTests,
          env: { TEST_DB: "postgres" },
          globalSetup: ["tests/setup/require-postgres.ts"],
        },
      },
    ],
  },
});

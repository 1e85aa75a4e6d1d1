import postgres from "postgres";

/**
 * Global setup of the `postgres` project: without TEST_DATABASE_URL (or with a server
 * that does not answer) the run fails here, loudly, instead of skipping the files.
 * `npm test` starts a throw-away server and sets it; for other runs use
 * `bash scripts/postgres.sh npx vitest run`, or choose `--project unit --project pglite`.
 */
export default async function requirePostgres(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      "TEST_DATABASE_URL is not set, so the `postgres` test project cannot run.\n" +
        "  Run `npm test` (it starts a throw-away PostgreSQL), or `bash scripts/postgres.sh npx vitest run`,\n" +
        "  or skip it with `npx vitest run --project unit --project pglite`.",
    );
  }
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL does not answer (${redact(url)}): ${(error as Error).message}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparseable URL>";
  }
}

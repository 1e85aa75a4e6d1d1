import { defineConfig } from "drizzle-kit";

// `drizzle-kit generate` needs no database: it diffs db/schema.ts against the
// snapshots in db/migrations and writes the next SQL file.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});

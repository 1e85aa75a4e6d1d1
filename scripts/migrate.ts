// `npm run db:migrate`: applies db/migrations to DATABASE_URL (or the embedded database).
import { openDatabase } from "../db/client.ts";

const url = process.env.DATABASE_URL;
const database = url
  ? await openDatabase({ url, maxConnections: 1 })
  : await openDatabase({ dir: process.env.PGLITE_DIR ?? ".data/pglite" });
await database.migrate();
await database.close();
console.log(`Migrations applied to ${url ? "PostgreSQL" : "the embedded database"}.`);

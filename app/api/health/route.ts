import { sql } from "drizzle-orm";

import { getDb } from "@/db";

export const dynamic = "force-dynamic";

export async function GET() {
  const db = await getDb();
  await db.execute(sql`select 1`);
  return Response.json({ status: "ok" });
}

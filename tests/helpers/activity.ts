import { asc, count, eq, gt, sql } from "drizzle-orm";

import type { Db } from "@/db/client";
import { activities, type Activity } from "@/db/schema";

/** The activity stream of one org, oldest first. */
export function activitiesOf(db: Db, orgId: string): Promise<Activity[]> {
  return db.select().from(activities).where(eq(activities.orgId, orgId)).orderBy(asc(activities.id));
}

/** How many activity entries a user has authored, in any org (to prove a failure wrote none). */
export async function activityCountBy(db: Db, userId: string): Promise<number> {
  const [row] = await db.select({ value: count() }).from(activities).where(eq(activities.actorUserId, userId));
  return row?.value ?? 0;
}

/** The highest activity id so far (0 when there is none): "entries added since" is then `id > mark`. */
export async function activityMark(db: Db): Promise<number> {
  const [row] = await db.select({ value: sql<string | null>`max(${activities.id})::text` }).from(activities);
  return Number(row?.value ?? 0);
}

/** Every activity entry, of any org, added after `mark` (see activityMark), oldest first. */
export function activitiesAfter(db: Db, mark: number): Promise<Activity[]> {
  return db.select().from(activities).where(gt(activities.id, mark)).orderBy(asc(activities.id));
}

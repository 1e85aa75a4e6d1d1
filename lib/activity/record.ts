import "server-only";

import { isIP } from "node:net";

import type { Db } from "@/db";
import { activities } from "@/db/schema";
import type { Actor, SystemActor } from "@/lib/core/actor";

import type { ActivityType } from "./types";

export interface ActivityTarget {
  type: string;
  id: string;
  label: string;
}

/**
 * Appends one entry to an organization's activity stream. Call it with the
 * transaction that makes the change, so the change and its entry commit together.
 */
export async function recordActivity(
  tx: Db,
  entry: { orgId: string; actor: Actor | SystemActor; type: ActivityType; target?: ActivityTarget; metadata?: Record<string, unknown> },
): Promise<void> {
  await tx.insert(activities).values({
    orgId: entry.orgId,
    type: entry.type,
    actorUserId: entry.actor.userId,
    actorTokenId: entry.actor.tokenId ?? null,
    actorTokenName: entry.actor.tokenName ?? null,
    actorName: entry.actor.name,
    actorEmail: entry.actor.email,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    targetLabel: entry.target?.label ?? null,
    metadata: entry.metadata ?? {},
    // Only an address: never a placeholder ("unknown") or whatever a header carried.
    ip: entry.actor.ip && isIP(entry.actor.ip) ? entry.actor.ip : null,
    userAgent: entry.actor.userAgent?.slice(0, 500) ?? null,
  });
}

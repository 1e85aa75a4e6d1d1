import type { Db } from "@/db";
import type { Actor } from "@/lib/core/actor";
import { env } from "@/lib/core/env";
import { hitRateLimit } from "@/lib/core/rate-limit";

const DAY = 86400;

/**
 * Counts one invitation e-mail (sent or resent) against the org's, the inviting
 * user's and the client IP's daily limits, and says which one refused it, if
 * any. The user and IP counters are keyed apart from any org, so deleting and
 * re-creating an org starts nothing over. Call it in the invitation's transaction.
 */
export async function invitationLimitProblem(tx: Db, orgId: string, actor: Pick<Actor, "userId" | "ip">): Promise<string | undefined> {
  const config = env();
  const perOrg = await hitRateLimit(tx, `invitations:org:${orgId}`, config.INVITES_PER_ORG_PER_DAY, DAY);
  if (!perOrg.allowed) return `This organization sent its ${config.INVITES_PER_ORG_PER_DAY} invitations for today. Try again tomorrow.`;
  const perUser = await hitRateLimit(tx, `invitations:user:${actor.userId}`, config.INVITES_PER_USER_PER_DAY, DAY);
  if (!perUser.allowed) return `You sent your ${config.INVITES_PER_USER_PER_DAY} invitations for today. Try again tomorrow.`;
  if (actor.ip) {
    const perIp = await hitRateLimit(tx, `invitations:ip:${actor.ip}`, config.INVITES_PER_IP_PER_DAY, DAY);
    if (!perIp.allowed) return "Too many invitations were sent from your network today. Try again tomorrow.";
  }
  return undefined;
}

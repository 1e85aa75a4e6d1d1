import "server-only";

import { createElement } from "react";
import { z } from "zod";

import type { Db } from "@/db";
import EnterpriseRequest, { enterpriseRequestSubject } from "@/emails/enterprise-request";
import { recordActivity } from "@/lib/activity/record";
import type { Actor } from "@/lib/core/actor";
import { env } from "@/lib/core/env";
import { AppError } from "@/lib/core/errors";
import { parseOrThrow } from "@/lib/core/parse";
import { describeRetryAfter, hitRateLimit } from "@/lib/core/rate-limit";
import { inTransaction } from "@/lib/core/transaction";
import { queueEmail } from "@/lib/mail/send";
import { lockOrgForMember, type OrgRef } from "@/lib/orgs/access";
import { countMembers } from "@/lib/orgs/memberships";
import { planLabel } from "@/lib/shared/plans";

export const enterpriseRequestSchema = z.object({
  seats: z.coerce
    .number({ error: "Enter how many members you need." })
    .int("Enter a whole number of members.")
    .min(1, "Enter how many members you need.")
    .max(1_000_000, "Enter at most 1,000,000 members."),
  message: z.string().trim().max(2000, "Write at most 2,000 characters.").default(""),
});

const REQUESTS_PER_ORG_PER_DAY = 3;

/** Sends an Enterprise request to the sales address (queued in the same transaction), recorded in the org's stream. */
export async function requestEnterprisePlan(db: Db, actor: Actor, input: { org: OrgRef; seats: unknown; message: unknown }): Promise<void> {
  const parsed = {
    data: parseOrThrow(enterpriseRequestSchema, { seats: input.seats, message: input.message ?? "" }, "Check the request."),
  };
  await inTransaction(db, async (tx) => {
    const { org } = await lockOrgForMember(tx, actor.userId, input.org, "billing.manage");
    const limit = await hitRateLimit(tx, `enterprise:${org.id}`, REQUESTS_PER_ORG_PER_DAY, 24 * 3600);
    if (!limit.allowed) {
      throw new AppError(
        "rate_limited",
        `Our sales team already has this organization's requests. You can send another ${describeRetryAfter(limit.retryAfterSeconds)}.`,
      );
    }
    await recordActivity(tx, {
      orgId: org.id,
      actor,
      type: "plan.enterprise_requested",
      target: { type: "plan", id: org.id, label: "Enterprise" },
      metadata: { seats: parsed.data.seats },
    });
    await queueEmail(tx, {
      template: "enterprise-request",
      to: env().SALES_EMAIL,
      subject: enterpriseRequestSubject(org.name),
      react: createElement(EnterpriseRequest, {
        orgName: org.name,
        requesterName: actor.name,
        requesterEmail: actor.email,
        seats: parsed.data.seats,
        currentPlan: planLabel(org.plan),
        members: await countMembers(tx, org.id),
        message: parsed.data.message,
      }),
    });
  });
}

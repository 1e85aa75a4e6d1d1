import type { Metadata } from "next";
import Link from "next/link";

import { activityEntriesHtml } from "@/components/activity/activity-entry-html";
import { ActivityIconSprite } from "@/components/activity/activity-icon";
import { Card } from "@/components/ui/card";
import { ServerMarkup } from "@/components/ui/server-markup";
import { getDb } from "@/db";
import { listActivityViews } from "@/lib/activity/view";
import { env } from "@/lib/core/env";
import { requireOrgAccess } from "@/lib/next/org-access";
import { getOrgOverview } from "@/lib/orgs/organizations";
import { defaultAppUrl } from "@/lib/shared/names";
import { planLabel } from "@/lib/shared/plans";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/shared/roles";

type Props = { params: Promise<{ org: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: decodeURIComponent((await params).org) };
}

export default async function OrgOverviewPage({ params }: Props) {
  const access = await requireOrgAccess((await params).org);
  const { org, user } = access;
  const db = await getDb();
  const [{ memberCount }, recent] = await Promise.all([
    getOrgOverview(db, user.id, access),
    listActivityViews(db, user.id, access, { limit: 5 }),
  ]);
  const facts = [
    {
      label: "Plan",
      testId: "org-plan",
      value: (
        <Link href={`/orgs/${org.name}/settings/plan`} className="underline">
          {planLabel(org.plan)}
        </Link>
      ),
    },
    {
      label: "Members",
      testId: "org-members",
      value: (
        <Link href={`/orgs/${org.name}/members`} className="underline">
          {memberCount}
        </Link>
      ),
    },
    { label: "Created", testId: "org-created", value: org.createdAt.toISOString().slice(0, 10) },
    // Discreet: what the viewer may do here, with the sentence that says it on hover.
    { label: "Your role", testId: "org-your-role", value: <span title={ROLE_DESCRIPTIONS[access.role]}>{ROLE_LABELS[access.role]}</span> },
  ];
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <div className="space-y-6 lg:col-span-2">
        <Card title="Default app URL" description="Every app of this organization gets a URL of this form.">
          <code className="block overflow-x-auto rounded bg-zinc-100 px-3 py-2 text-sm" data-testid="org-app-url">
            {defaultAppUrl("<app>", org.name, env().APPS_DOMAIN)}
          </code>
        </Card>
        <Card title="Recent activity">
          {recent.entries.length === 0 ? (
            <p className="text-sm text-zinc-600">No activity yet.</p>
          ) : (
            <>
              <ActivityIconSprite objects={recent.entries.map((entry) => entry.object)} />
              <ServerMarkup
                as="ol"
                className="-my-3 divide-y divide-zinc-100"
                aria-label="Recent activity"
                html={activityEntriesHtml(recent.entries)}
              />
            </>
          )}
          <Link href={`/orgs/${org.name}/activity`} className="inline-block text-sm font-medium text-zinc-900 underline">
            View all
          </Link>
        </Card>
      </div>
      <Card title="Organization">
        <dl className="space-y-3 text-sm">
          {facts.map((fact) => (
            <div key={fact.label} className="flex justify-between gap-4">
              <dt className="text-zinc-500">{fact.label}</dt>
              <dd className="font-medium text-zinc-900" data-testid={fact.testId}>
                {fact.value}
              </dd>
            </div>
          ))}
        </dl>
      </Card>
    </div>
  );
}

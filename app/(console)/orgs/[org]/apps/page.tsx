import type { Metadata } from "next";
import { AppRowActions, CreateAppForm } from "@/components/resources/app-forms";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db";
import { listApps } from "@/lib/apps";
import { requireOrgAccess } from "@/lib/auth/org-access";
import { env } from "@/lib/env";
import { appUrlOf } from "@/lib/org-name";

export const metadata: Metadata = { title: "Apps" };

export default async function AppsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org, user } = await requireOrgAccess((await params).org, "/apps");
  const apps = await listApps(await getDb(), user.id, org.name);
  const domain = env().APPS_DOMAIN;
  return (
    <div className="space-y-6">
      <CreateAppForm orgName={org.name} appsDomain={domain} />
      {apps.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600">No apps yet. Create the first one above.</p>
      ) : (
        <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white" aria-label="Apps">
          {apps.map((app) => (
            <li key={app.id} className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid="app-row">
              <div className="min-w-0 flex-1">
                <p className="text-sm font-medium">{app.name}</p>
                <p className="truncate text-xs text-zinc-600">
                  {app.hostLabel ? (
                    <code>{appUrlOf(app.hostLabel, domain)}</code>
                  ) : (
                    <span data-testid="app-no-address">No default URL: another app had its address. Rename this app to get one.</span>
                  )}
                </p>
                <p className="text-xs text-zinc-500">
                  Created by {app.createdByName} <RelativeTime date={app.createdAt} />
                </p>
              </div>
              <AppRowActions orgName={org.name} appId={app.id} appName={app.name} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

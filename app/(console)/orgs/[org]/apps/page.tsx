import type { Metadata } from "next";

import { AppRowActions, CreateAppForm } from "@/components/resources/app-forms";
import { EmptyState } from "@/components/ui/empty-state";
import { List, ListRow } from "@/components/ui/list";
import { PermissionNote } from "@/components/ui/permission-note";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db";
import { listApps } from "@/lib/apps/apps";
import { env } from "@/lib/core/env";
import { requireOrgAccess } from "@/lib/next/org-access";
import { appUrlOf } from "@/lib/shared/names";
import { can } from "@/lib/shared/roles";

export const metadata: Metadata = { title: "Apps" };

export default async function AppsPage({ params }: { params: Promise<{ org: string }> }) {
  const access = await requireOrgAccess((await params).org, "/apps");
  const { org, user, role } = access;
  const canWrite = can(role, "resources.write");
  const apps = await listApps(await getDb(), user.id, access);
  const domain = env().APPS_DOMAIN;
  return (
    <div className="space-y-6">
      {canWrite ? <CreateAppForm orgName={org.name} appsDomain={domain} /> : <PermissionNote permission="resources.write" />}
      {apps.length === 0 ? (
        <EmptyState>{canWrite ? "No apps yet. Create the first one above." : "No apps yet."}</EmptyState>
      ) : (
        <List aria-label="Apps">
          {apps.map((app) => (
            <ListRow key={app.id} data-testid="app-row">
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
              {canWrite ? <AppRowActions orgName={org.name} appId={app.id} appName={app.name} /> : null}
            </ListRow>
          ))}
        </List>
      )}
    </div>
  );
}

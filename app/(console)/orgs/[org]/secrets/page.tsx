import type { Metadata } from "next";

import { CreateSecretForm, SecretRowActions } from "@/components/resources/secret-forms";
import { EmptyState } from "@/components/ui/empty-state";
import { List, ListRow } from "@/components/ui/list";
import { PermissionNote } from "@/components/ui/permission-note";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db";
import { requireOrgAccess } from "@/lib/next/org-access";
import { listSecrets } from "@/lib/secrets/secrets";
import { can } from "@/lib/shared/roles";

export const metadata: Metadata = { title: "Secrets" };

export default async function SecretsPage({ params }: { params: Promise<{ org: string }> }) {
  const access = await requireOrgAccess((await params).org, "/secrets");
  const { org, user, role } = access;
  const canWrite = can(role, "resources.write");
  const secrets = await listSecrets(await getDb(), user.id, access);
  return (
    <div className="space-y-6">
      {canWrite ? <CreateSecretForm orgName={org.name} /> : <PermissionNote permission="resources.write" />}
      {secrets.length === 0 ? (
        <EmptyState>No secrets yet.</EmptyState>
      ) : (
        <List aria-label="Secrets">
          {secrets.map((secret) => (
            <ListRow key={secret.id} data-testid="secret-row">
              <div className="min-w-0 flex-1">
                <p className="font-mono text-sm font-medium break-all">{secret.name}</p>
                <p className="text-xs text-zinc-500">
                  Created by {secret.createdByName} · updated <RelativeTime date={secret.updatedAt} />
                </p>
              </div>
              {canWrite ? <SecretRowActions orgName={org.name} secretId={secret.id} secretName={secret.name} /> : null}
            </ListRow>
          ))}
        </List>
      )}
    </div>
  );
}

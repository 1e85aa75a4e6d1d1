import type { Metadata } from "next";
import { CreateSecretForm, SecretRowActions } from "@/components/resources/secret-forms";
import { EmptyState } from "@/components/ui/empty-state";
import { List, ListRow } from "@/components/ui/list";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db";
import { requireOrgAccess } from "@/lib/next/org-access";
import { listSecrets } from "@/lib/secrets/secrets";

export const metadata: Metadata = { title: "Secrets" };

export default async function SecretsPage({ params }: { params: Promise<{ org: string }> }) {
  const access = await requireOrgAccess((await params).org, "/secrets");
  const { org, user } = access;
  const secrets = await listSecrets(await getDb(), user.id, access);
  return (
    <div className="space-y-6">
      <CreateSecretForm orgName={org.name} />
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
              <SecretRowActions orgName={org.name} secretId={secret.id} secretName={secret.name} />
            </ListRow>
          ))}
        </List>
      )}
    </div>
  );
}

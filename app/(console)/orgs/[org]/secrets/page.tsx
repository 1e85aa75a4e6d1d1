import type { Metadata } from "next";
import { CreateSecretForm, SecretRowActions } from "@/components/resources/secret-forms";
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
        <p className="rounded-lg border border-dashed border-zinc-300 p-8 text-center text-sm text-zinc-600">No secrets yet.</p>
      ) : (
        <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 bg-white" aria-label="Secrets">
          {secrets.map((secret) => (
            <li key={secret.id} className="flex flex-wrap items-center gap-3 px-4 py-3" data-testid="secret-row">
              <div className="min-w-0 flex-1">
                <p className="font-mono text-sm font-medium break-all">{secret.name}</p>
                <p className="text-xs text-zinc-500">
                  Created by {secret.createdByName} · updated <RelativeTime date={secret.updatedAt} />
                </p>
              </div>
              <SecretRowActions orgName={org.name} secretId={secret.id} secretName={secret.name} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

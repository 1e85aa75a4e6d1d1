"use client";

import { setTwoFactorPolicyAction } from "@/actions/two-factor";
import { SubmitButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FormMessage } from "@/components/ui/field";
import { PermissionNote } from "@/components/ui/permission-note";
import { useFormAction } from "@/components/use-form-action";

const DESCRIPTION =
  "Members without two-factor authentication cannot open the organization or use their API tokens in it until they turn it on.";

/** The owners' policy "require two-factor": a switch for owners, the setting and who can change it for the others. */
export function TwoFactorPolicyForm({
  orgName,
  required,
  canChange,
  membersWithout,
}: {
  orgName: string;
  required: boolean;
  canChange: boolean;
  /** Members without two-factor now: who requiring it stops (or stops already). */
  membersWithout: { name: string; email: string }[];
}) {
  const [state, formAction] = useFormAction(setTwoFactorPolicyAction);
  const status = required ? "Required of every member." : "Not required.";
  if (!canChange) {
    return (
      <Card title="Two-factor authentication" description={DESCRIPTION}>
        <p className="text-sm text-zinc-900" data-testid="two-factor-policy">
          {status}
        </p>
        <PermissionNote permission="org.two_factor_policy" />
      </Card>
    );
  }
  const emailed = state?.ok && state.data?.nonCompliant && state.data.nonCompliant.length > 0;
  return (
    <form action={formAction}>
      <input type="hidden" name="orgName" value={orgName} />
      {required ? null : <input type="hidden" name="required" value="on" />}
      <Card
        title="Two-factor authentication"
        description={DESCRIPTION}
        footer={
          <SubmitButton variant={required ? "secondary" : "primary"} pendingLabel="Saving…">
            {required ? "Stop requiring two-factor" : "Require two-factor"}
          </SubmitButton>
        }
      >
        <FormMessage error={state && !state.ok ? state.formError : undefined} />
        <p className="text-sm text-zinc-900" data-testid="two-factor-policy">
          {status}
        </p>
        {membersWithout.length > 0 ? (
          <div className="space-y-1 text-sm" data-testid="two-factor-non-compliant">
            <p className="text-zinc-600">
              {required
                ? `Stopped until they turn it on${emailed ? " (they were e-mailed)" : ""}:`
                : "Requiring it would stop these members until they turn it on (each gets an e-mail):"}
            </p>
            <ul className="list-disc pl-5 text-zinc-900">
              {membersWithout.map((member) => (
                <li key={member.email}>
                  {member.name} ({member.email})
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </Card>
    </form>
  );
}

"use client";

import { beginTwoFactorSetupAction, confirmTwoFactorSetupAction, disableTwoFactorAction } from "@/actions/two-factor";
import { SubmitButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, FormMessage } from "@/components/ui/field";
import { useFormAction } from "@/components/use-form-action";

const CODE_HINT = "The six-digit code your authenticator app shows now.";

/** Account → Security: two-factor on or off, its set-up and the recovery codes, shown once. */
export function TwoFactorSection({ enabled, recoveryCodesLeft }: { enabled: boolean; recoveryCodesLeft: number }) {
  return enabled ? <DisableTwoFactorForm recoveryCodesLeft={recoveryCodesLeft} /> : <SetUpTwoFactor />;
}

function SetUpTwoFactor() {
  const [setup, begin] = useFormAction(beginTwoFactorSetupAction);
  const [confirmed, confirm] = useFormAction(confirmTwoFactorSetupAction, { toastErrors: false });
  const started = setup?.ok ? setup.data : undefined;
  // Shown once, from the action's answer: the page is not revalidated, so they stay until the user leaves.
  if (confirmed?.ok && confirmed.data) return <RecoveryCodes codes={confirmed.data.recoveryCodes} />;
  if (!started) {
    return (
      <form action={begin}>
        <Card
          title="Two-factor authentication"
          description="Off. Protect your account with a code from an authenticator app when you sign in."
          footer={<SubmitButton pendingLabel="Starting…">Set up two-factor</SubmitButton>}
        >
          <FormMessage error={setup && !setup.ok ? setup.formError : undefined} />
          <p className="text-sm text-zinc-600">
            You need an authenticator app (1Password, Google Authenticator, Authy…). Organizations may require it of their members.
          </p>
        </Card>
      </form>
    );
  }
  const errors = confirmed && !confirmed.ok ? confirmed.fieldErrors : {};
  return (
    <form action={confirm} noValidate>
      <Card
        title="Set up two-factor authentication"
        description="Scan the QR code with your authenticator app, or type the key, then enter the code it shows."
        footer={<SubmitButton pendingLabel="Checking…">Turn on two-factor</SubmitButton>}
      >
        <FormMessage error={confirmed && !confirmed.ok ? confirmed.formError : undefined} />
        <div className="flex flex-wrap items-center gap-6">
          {/* An SVG drawn on the server from the otpauth:// address; no image is fetched, so nothing for next/image to optimise. */}
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img
            src={`data:image/svg+xml;utf8,${encodeURIComponent(started.qrSvg)}`}
            alt="QR code of the two-factor key"
            width={176}
            height={176}
            className="rounded border border-zinc-200"
          />
          <div className="space-y-2 text-sm">
            <p className="text-zinc-600">Key</p>
            <code className="block font-mono text-sm break-all text-zinc-900" data-testid="two-factor-secret">
              {started.secret}
            </code>
            <CopyButton value={started.secret} label="Copy key" />
          </div>
        </div>
        <Field
          label="Code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          required
          errors={errors.code}
          hint={CODE_HINT}
        />
      </Card>
    </form>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <Card
      title="Two-factor authentication is on"
      description="Save these recovery codes now: each signs you in once if you lose your phone. They are not shown again."
    >
      <ul className="grid grid-cols-2 gap-2 font-mono text-sm" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <CopyButton value={codes.join("\n")} label="Copy codes" />
    </Card>
  );
}

function DisableTwoFactorForm({ recoveryCodesLeft }: { recoveryCodesLeft: number }) {
  const [state, formAction] = useFormAction(disableTwoFactorAction);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form action={formAction} noValidate>
      <Card
        title="Two-factor authentication"
        description={`On. Signing in asks for a code from your authenticator app. ${recoveryCodesLeft} of 10 recovery codes left.`}
        footer={
          <SubmitButton variant="danger" pendingLabel="Turning off…">
            Turn off two-factor
          </SubmitButton>
        }
      >
        <FormMessage error={state && !state.ok ? state.formError : undefined} />
        <p className="text-sm text-zinc-600">To turn it off, enter your password and a code (or a recovery code).</p>
        <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.password} />
        <Field label="Code" name="code" autoComplete="one-time-code" required errors={errors.code} hint={CODE_HINT} />
      </Card>
    </form>
  );
}

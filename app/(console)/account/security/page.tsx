import type { Metadata } from "next";

import { DeleteAccountForm } from "@/components/account/delete-account-form";
import { ChangePasswordForm, SignOutOtherSessionsForm } from "@/components/account/security-forms";
import { TwoFactorSection } from "@/components/account/two-factor-forms";
import { getDb } from "@/db";
import { getTwoFactorStatus } from "@/lib/auth/two-factor";
import { requireUser } from "@/lib/next/session";

export const metadata: Metadata = { title: "Security" };

export default async function SecurityPage() {
  const user = await requireUser("/account/security");
  const twoFactor = await getTwoFactorStatus(await getDb(), user.id);
  return (
    <>
      <ChangePasswordForm />
      <TwoFactorSection enabled={twoFactor.enabled} recoveryCodesLeft={twoFactor.recoveryCodesLeft} />
      <SignOutOtherSessionsForm />
      <DeleteAccountForm twoFactor={twoFactor.enabled} />
    </>
  );
}

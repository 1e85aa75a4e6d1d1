import type { Metadata } from "next";

import { DeleteAccountForm } from "@/components/account/delete-account-form";
import { ChangePasswordForm, SignOutOtherSessionsForm } from "@/components/account/security-forms";
import { requireUser } from "@/lib/next/session";

export const metadata: Metadata = { title: "Security" };

export default async function SecurityPage() {
  await requireUser("/account/security");
  return (
    <>
      <ChangePasswordForm />
      <SignOutOtherSessionsForm />
      <DeleteAccountForm />
    </>
  );
}

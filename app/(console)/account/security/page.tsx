import type { Metadata } from "next";

import { ChangePasswordForm, SignOutOtherSessionsForm } from "@/components/account/security-forms";
import { requireUser } from "@/lib/next/session";

export const metadata: Metadata = { title: "Security" };

export default async function SecurityPage() {
  await requireUser("/account/security");
  return (
    <>
      <ChangePasswordForm />
      <SignOutOtherSessionsForm />
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";

import { ConfirmEmailChangeForm } from "@/components/account/confirm-email-change-form";
import { AuthCard } from "@/components/auth/auth-card";
import { buttonClass } from "@/components/ui/button-class";
import { getDb } from "@/db";
import { inspectEmailChangeLink } from "@/lib/auth/email-change";

export const metadata: Metadata = { title: "Confirm your new email address" };

export default async function ConfirmEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  // Read-only: opening the link changes nothing; only the button uses it.
  const { state, newEmail } = await inspectEmailChangeLink(await getDb(), token);
  if (state !== "valid") {
    const reason =
      state === "expired" ? "This link has expired." : state === "used" ? "This link was already used." : "This link is not valid.";
    return (
      <AuthCard title="This link cannot be used" description={`${reason} Ask for a new one from your profile.`}>
        <Link href="/account" className={buttonClass("primary", "w-full")}>
          Open my profile
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Confirm your new email address" description={`Your account will use ${newEmail} to sign in and for e-mails.`}>
      <ConfirmEmailChangeForm token={token} />
    </AuthCard>
  );
}

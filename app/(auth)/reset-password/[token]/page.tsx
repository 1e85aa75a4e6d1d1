import type { Metadata } from "next";
import Link from "next/link";

import { AuthCard } from "@/components/auth/auth-card";
import { ResetPasswordForm } from "@/components/auth/reset-password-form";
import { buttonClass } from "@/components/ui/button-class";
import { getDb } from "@/db";
import { inspectResetLink } from "@/lib/auth/password-reset";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  // Read-only: opening the link changes nothing; only submitting the form uses it.
  const state = await inspectResetLink(await getDb(), token);
  if (state !== "valid") {
    const reason =
      state === "expired" ? "This link has expired." : state === "used" ? "This link was already used." : "This link is not valid.";
    return (
      <AuthCard title="This reset link cannot be used" description={`${reason} Reset links work once, for one hour.`}>
        <Link href="/forgot-password" className={buttonClass("primary", "w-full")}>
          Ask for a new link
        </Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password">
      <ResetPasswordForm token={token} />
    </AuthCard>
  );
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { AuthCard } from "@/components/auth/auth-card";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { getCurrentUser, safeReturnPath } from "@/lib/next/session";

export const metadata: Metadata = { title: "Create your account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ returnTo?: string }> }) {
  const { returnTo } = await searchParams;
  const safe = safeReturnPath(returnTo, "");
  if (await getCurrentUser()) redirect(safe || "/");
  return (
    <AuthCard title="Create your account" description="Start with a free organization. No credit card needed.">
      <SignUpForm returnTo={safe || undefined} />
    </AuthCard>
  );
}

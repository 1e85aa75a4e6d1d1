import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { AuthCard } from "@/components/auth/auth-card";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getCurrentUser, safeReturnPath } from "@/lib/next/session";

export const metadata: Metadata = { title: "Sign in" };

const notices: Record<string, string> = {
  reset: "Your password was changed. Sign in with the new one.",
  verified: "Your email address is verified. Sign in to continue.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const returnTo = safeReturnPath(params.returnTo, "");
  if (await getCurrentUser()) redirect(returnTo || "/");
  const notice = Object.keys(notices).find((key) => params[key]);
  return (
    <AuthCard title="Sign in to Console">
      <SignInForm returnTo={returnTo || undefined} notice={notice ? notices[notice] : undefined} />
    </AuthCard>
  );
}

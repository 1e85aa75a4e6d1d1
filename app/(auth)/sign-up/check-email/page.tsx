import type { Metadata } from "next";
import Link from "next/link";

import { AuthCard } from "@/components/auth/auth-card";
import { buttonClass } from "@/components/ui/button-class";
import { safeReturnPath } from "@/lib/next/session";

export const metadata: Metadata = { title: "Check your inbox" };

export default async function CheckEmailPage({ searchParams }: { searchParams: Promise<{ email?: string; returnTo?: string }> }) {
  const { email, returnTo } = await searchParams;
  const safe = safeReturnPath(returnTo, "");
  return (
    <AuthCard
      title="Check your inbox"
      description={
        <>
          We sent a message to <strong className="text-zinc-900">{email ?? "your email address"}</strong>. Open the link in it to verify
          your address. You can sign in now and verify later.
        </>
      }
    >
      <Link href={safe ? `/sign-in?returnTo=${encodeURIComponent(safe)}` : "/sign-in"} className={buttonClass("primary", "w-full")}>
        Continue to sign in
      </Link>
    </AuthCard>
  );
}

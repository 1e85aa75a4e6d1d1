import type { Metadata } from "next";
import Link from "next/link";

import { AuthCard } from "@/components/auth/auth-card";
import { buttonClass } from "@/components/ui/button-class";
import { getDb } from "@/db";
import { verifyEmail } from "@/lib/auth/email-verification";
import { getCurrentUser } from "@/lib/next/session";

export const metadata: Metadata = { title: "Verify your email" };

const outcomes = {
  verified: { title: "Your email address is verified", description: "Thanks! Your account is fully set up." },
  used: { title: "This link was already used", description: "Your email address is already verified, or a newer link replaced this one." },
  expired: {
    title: "This link has expired",
    description: "Verification links work for 48 hours. Sign in and ask for a new one from the banner.",
  },
  unknown: { title: "This link is not valid", description: "Check that you copied the whole link, or ask for a new one after signing in." },
} as const;

export default async function VerifyEmailPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  // Opening the e-mailed link is the proof of the address: that is what it is for.
  const outcome = await verifyEmail(await getDb(), token);
  const signedIn = Boolean(await getCurrentUser());
  const { title, description } = outcomes[outcome];
  return (
    <AuthCard title={title} description={description}>
      <div data-testid="verify-outcome" data-outcome={outcome} />
      <Link href={signedIn ? "/" : "/sign-in?verified=1"} className={buttonClass("primary", "w-full")}>
        {signedIn ? "Continue to the console" : "Sign in"}
      </Link>
    </AuthCard>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";

import { buttonClass } from "@/components/ui/button-class";
import { getDb } from "@/db";
import { isAppError } from "@/lib/core/errors";
import { requireUser } from "@/lib/next/session";
import { requireMembership } from "@/lib/orgs/access";
import { isTwoFactorRequiredError } from "@/lib/orgs/two-factor-compliance";

export const metadata: Metadata = { title: "Two-factor required" };

/** Where an org's pages send a member the org's two-factor policy blocks (lib/next/org-access.ts). */
export default async function TwoFactorRequiredPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const orgName = (await searchParams).org ?? "";
  const user = await requireUser(`/two-factor-required?org=${encodeURIComponent(orgName)}`);
  try {
    // Shown only when it is true: the org exists, the user is a member, and the policy blocks them.
    await requireMembership(await getDb(), user.id, { name: orgName });
  } catch (error) {
    if (!isTwoFactorRequiredError(error)) {
      if (isAppError(error) && error.code === "not_found") notFound();
      throw error;
    }
    return (
      <div
        role="alert"
        data-testid="two-factor-banner"
        className="max-w-2xl space-y-4 rounded-lg border border-amber-300 bg-amber-50 p-5 sm:p-6"
      >
        <h1 className="text-base font-semibold text-amber-900">{error.orgName} requires two-factor authentication</h1>
        <p className="text-sm text-amber-900">
          Its owners require every member to sign in with a code from an authenticator app. Until you turn two-factor on, you cannot open{" "}
          {error.orgName} and your API tokens in it answer 403.
        </p>
        <Link href="/account/security" className={buttonClass("primary")}>
          Turn on two-factor
        </Link>
      </div>
    );
  }
  redirect(`/orgs/${encodeURIComponent(orgName)}`);
}

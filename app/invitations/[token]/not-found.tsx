import Link from "next/link";

import { AuthCard } from "@/components/auth/auth-card";
import { buttonClass } from "@/components/ui/button-class";

/** An unknown invitation link: a 404, explained. */
export default function InvitationNotFound() {
  return (
    <AuthCard
      title="This invitation link is not valid"
      description="It may have been replaced by a newer invitation e-mail. Check your inbox for the latest one."
    >
      <div data-testid="invitation-state" data-state="not_found" />
      <Link href="/" className={buttonClass("secondary", "w-full")}>
        Go to the console
      </Link>
    </AuthCard>
  );
}

import type { Metadata } from "next";

import { ChangeEmailForm } from "@/components/account/change-email-form";
import { ProfileForm } from "@/components/account/profile-form";
import { requireUser } from "@/lib/next/session";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage() {
  const user = await requireUser("/account");
  return (
    <>
      <ProfileForm name={user.name} email={user.email} />
      <ChangeEmailForm email={user.email} />
    </>
  );
}

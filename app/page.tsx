import { redirect } from "next/navigation";

import { getDb } from "@/db";
import { getCurrentUser } from "@/lib/next/session";
import { landingOrgName } from "@/lib/orgs/memberships";

/** `/` lands in the last organization used, or onboarding when there is none. */
export default async function HomePage() {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  const orgName = await landingOrgName(await getDb(), user.id);
  redirect(orgName ? `/orgs/${orgName}` : "/onboarding");
}

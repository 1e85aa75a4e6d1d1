import { expect, test } from "@playwright/test";

import { newSignedInUser, uniqueSuffix } from "./helpers";

/* Decorative avatars (initials) stay out of accessible names: a screen reader hears "acme", not "AC acme". */
test("org entries are named by the org alone, without the avatar's initials", async ({ page }) => {
  const suffix = uniqueSuffix();
  const org = `names-${suffix}`;
  const orgInitials = `N${suffix[0]!.toUpperCase()}`;
  await newSignedInUser(page, "names", "Ada Lovelace");
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}$`));

  // The current org next to the switcher, and the entry in the switcher's list.
  await expect(page.getByRole("banner").getByRole("link", { name: org, exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Switch organization" }).click();
  const entry = page.getByRole("list", { name: "Organizations" }).getByRole("link");
  await expect(entry).toHaveCount(1);
  await expect(entry).toHaveAccessibleName(org);
  await page.keyboard.press("Escape");

  // Avatars are hidden from assistive technology wherever they are drawn.
  for (const path of [`/orgs/${org}`, `/orgs/${org}/members`, `/orgs/${org}/activity`, "/account/organizations"]) {
    await page.goto(path);
    const initialsShown = page.locator("span").filter({ hasText: new RegExp(`^(${orgInitials}|AL)$`) });
    const count = await initialsShown.count();
    expect(count, path).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) await expect(initialsShown.nth(i), path).toHaveAttribute("aria-hidden", "true");
  }
});

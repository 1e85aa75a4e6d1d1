import { expect, test } from "@playwright/test";

import { linkFromLatestEmail, newSignedInUser, uniqueSuffix } from "./helpers";

/* Creating an organization (and inviting) needs a verified address: the page says why and offers a new link. */
test("an unverified account is told to verify before creating an organization, gets a new link, and then can", async ({ page }) => {
  const { email } = await newSignedInUser(page, "unverified", "Una Verified", { verified: false });
  await expect(page).toHaveURL(/\/onboarding/);
  const note = page.getByRole("note", { name: "Verify your email address" });
  await expect(note).toContainText("Verify your email address to create an organization");
  await expect(page.getByRole("button", { name: "Create organization" })).toBeDisabled();

  await note.getByRole("button", { name: "Send a new link" }).click();
  await expect(note.getByTestId("verify-required-message")).toHaveText(`We sent a new link to ${email}.`);
  await page.goto(await linkFromLatestEmail(page, email, /Verify your email/));
  await expect(page.getByTestId("verify-outcome")).toHaveAttribute("data-outcome", "verified");

  await page.goto("/onboarding");
  await expect(page.getByRole("note", { name: "Verify your email address" })).toHaveCount(0);
  const org = `verified-${uniqueSuffix()}`;
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}$`));
});

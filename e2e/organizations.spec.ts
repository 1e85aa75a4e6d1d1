import { expect, test } from "@playwright/test";

import { newSignedInUser, uniqueSuffix } from "./helpers";

test("a new user creates, switches, renames and deletes organizations", async ({ page }) => {
  const suffix = uniqueSuffix();
  const acme = `acme-${suffix}`;
  const labs = `acme-labs-${suffix}`;
  const renamed = `labs-${suffix}`;

  await newSignedInUser(page, "orgs", "Olivia Owner");
  // No organization yet: onboarding asks for the first one.
  await expect(page).toHaveURL(/\/onboarding/);
  const nameInput = page.getByLabel("Organization name");
  await nameInput.fill("Acme Inc");
  await expect(page.getByTestId("name-error")).toContainText("Spaces are not allowed");
  await nameInput.fill(acme);
  await expect(page.getByTestId("app-url-preview")).toHaveText(`https://<app>-${acme}.apps.example.com`);
  await expect(page.getByTestId("name-available")).toBeVisible();
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${acme}$`));
  await expect(page.getByText(`The organization ${acme} was created`)).toBeVisible();
  await expect(page.getByTestId("current-org")).toHaveText(acme);

  // A second org from the switcher.
  await page.getByRole("button", { name: "Switch organization" }).click();
  await page.getByRole("link", { name: "Create organization" }).click();
  await page.getByLabel("Organization name").fill(labs);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${labs}$`));
  await expect(page.getByTestId("current-org")).toHaveText(labs);

  // A taken name is refused with a clear message.
  await page.goto("/orgs/new");
  await page.getByLabel("Organization name").fill(acme);
  await expect(page.getByTestId("name-error")).toContainText("already taken");

  // Switch with the switcher…
  await page.goto(`/orgs/${labs}`);
  await page.getByRole("button", { name: "Switch organization" }).click();
  await page.getByRole("link", { name: acme, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${acme}$`));
  await expect(page.getByTestId("current-org")).toHaveText(acme);
  // …and from Account → Organizations (no Switch button on the current org).
  await page.goto("/account/organizations");
  await expect(page.getByRole("link", { name: `Switch to ${acme}` })).toHaveCount(0);
  await page.getByRole("link", { name: `Switch to ${labs}` }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${labs}$`));
  // `/` lands in the org used last.
  await page.goto("/");
  await expect(page).toHaveURL(new RegExp(`/orgs/${labs}$`));

  // Rename; the old URL redirects to the new name.
  await page.goto(`/orgs/${labs}/settings`);
  const rename = page.getByLabel("Organization name");
  await rename.fill(renamed);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${renamed}/settings$`));
  await expect(page.getByText("Your organization's name was updated")).toBeVisible();
  await page.goto(`/orgs/${labs}/settings`);
  await expect(page).toHaveURL(new RegExp(`/orgs/${renamed}/settings$`));

  // The last member cannot leave: the dialog points to deletion.
  await page.getByRole("button", { name: "Leave organization" }).click();
  await expect(page.getByRole("dialog")).toContainText("you cannot leave it");
  await page.getByRole("button", { name: "Close" }).click();

  // Delete after typing the name.
  await page.getByRole("button", { name: "Delete organization" }).click();
  const dialog = page.getByRole("dialog");
  const confirm = dialog.getByRole("button", { name: "Delete this organization" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/to confirm/).fill(renamed);
  await confirm.click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${acme}$`));
  await expect(page.getByText(`The organization ${renamed} was deleted`)).toBeVisible();
  await page.goto(`/orgs/${renamed}`);
  await expect(page.getByRole("heading", { name: "This page could not be found" })).toBeVisible();
});

test("a non-member gets the 404 page for another user's organization", async ({ page, browser }) => {
  const orgName = `private-${uniqueSuffix()}`;
  await newSignedInUser(page, "owner");
  await page.getByLabel("Organization name").fill(orgName);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgName}$`));

  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  await newSignedInUser(stranger, "stranger");
  for (const path of ["", "/members", "/settings"]) {
    await stranger.goto(`/orgs/${orgName}${path}`);
    await expect(stranger.getByRole("heading", { name: "This page could not be found" })).toBeVisible();
    await expect(stranger.getByText(orgName)).toHaveCount(0);
  }
  await strangerContext.close();
});

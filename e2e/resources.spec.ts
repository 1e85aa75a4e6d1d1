import { expect, test } from "@playwright/test";

import { newSignedInUser, uniqueSuffix } from "./helpers";

test("apps and secrets: create, rename, reveal, edit and delete, each in the activity stream", async ({ page }) => {
  const org = `res-${uniqueSuffix()}`;
  await newSignedInUser(page, "res", "Rita Resources");
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}$`));

  await page.getByRole("link", { name: "Apps", exact: true }).click();
  await expect(page.getByText("No apps yet")).toBeVisible();
  await page.getByLabel("App name").fill("Web");
  await expect(page.getByTestId("name-error")).toContainText("lowercase");
  await page.getByLabel("App name").fill("web");
  await expect(page.getByTestId("new-app-url")).toHaveText(`https://web-${org}.apps.example.com`);
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page.getByText("The app web was created")).toBeVisible();
  await expect(page.getByTestId("app-row")).toContainText(`https://web-${org}.apps.example.com`);

  await page.getByRole("button", { name: "Rename web" }).click();
  await page.getByRole("dialog").getByLabel("New name").fill("api-server");
  await page.getByRole("dialog").getByRole("button", { name: "Rename" }).click();
  await expect(page.getByText("The app was renamed to api-server")).toBeVisible();

  await page.getByRole("link", { name: "Secrets", exact: true }).click();
  await page.getByLabel("Secret name").fill("DATABASE_URL");
  await page.getByLabel("Value").fill("postgres://user:pw@db/app");
  await page.getByRole("button", { name: "Create secret" }).click();
  await expect(page.getByText("The secret DATABASE_URL was created")).toBeVisible();
  // Lists never show the value.
  await expect(page.getByTestId("secret-row")).not.toContainText("postgres://");
  await page.getByRole("button", { name: "Reveal DATABASE_URL" }).click();
  await expect(page.getByTestId("secret-value")).toHaveText("postgres://user:pw@db/app");

  await page.getByRole("button", { name: "Edit DATABASE_URL" }).click();
  await page.getByRole("dialog").getByLabel("New value").fill("postgres://new");
  await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("The secret DATABASE_URL was updated")).toBeVisible();

  await page.getByRole("button", { name: "Delete DATABASE_URL" }).click();
  await page
    .getByRole("dialog")
    .getByLabel(/to confirm/)
    .fill("DATABASE_URL");
  await page.getByRole("dialog").getByRole("button", { name: "Delete secret" }).click();
  await expect(page.getByText("No secrets yet.")).toBeVisible();

  await page.getByRole("link", { name: "Activity", exact: true }).click();
  await expect(page.getByTestId("activity-sentence")).toHaveText([
    "Deleted a secret",
    "Updated a secret",
    "Revealed the value of a secret",
    "Created a secret",
    "Renamed an app",
    "Created an app",
    "Created the organization",
  ]);
});

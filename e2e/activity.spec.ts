import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";

import { newSignedInUser, uniqueEmail, uniqueSuffix } from "./helpers";

test("every change appears on the activity page, live in a second tab, filterable and exportable", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const org = `act-${uniqueSuffix()}`;
  const renamed = `act-renamed-${uniqueSuffix()}`;
  const { email, password } = await newSignedInUser(page, "actor", "Ada Activity");
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}$`));

  // A second tab (same account) watches the activity page without reloading.
  const watcherContext = await browser.newContext();
  const watcher = await watcherContext.newPage();
  await watcher.goto("/sign-in");
  await watcher.getByLabel("Email").fill(email);
  await watcher.getByLabel("Password").fill(password);
  await watcher.getByRole("button", { name: "Sign in" }).click();
  await expect(watcher).toHaveURL(new RegExp(`/orgs/${org}$`));
  await watcher.goto(`/orgs/${org}/activity`);
  const entries = watcher.getByTestId("activity-entry");
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText("Created the organization");

  // Invite, resend (after the cooldown), remove, rename.
  const guest = uniqueEmail("guest");
  await page.goto(`/orgs/${org}/members`);
  await page.getByLabel("Email addresses").fill(guest);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(page.getByText(`Invitation sent to ${guest}`)).toBeVisible();
  await page.goto(`/orgs/${org}/invitations`);
  const row = page.getByTestId("invitation-row").filter({ hasText: guest });
  await expect(async () => {
    await row.getByRole("button", { name: `Resend the invitation to ${guest}` }).click();
    await expect(page.getByText(`The invitation was sent again to ${guest}`)).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000, intervals: [2000] });
  await row.getByRole("button", { name: `Remove the invitation to ${guest}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove invitation" }).click();
  await expect(page.getByText(`The invitation sent to ${guest} was removed`)).toBeVisible();
  await page.goto(`/orgs/${org}/settings`);
  await page.getByLabel("Organization name").fill(renamed);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${renamed}/settings$`));

  // The watcher's page shows them, newest first, without a reload.
  await expect(watcher.getByTestId("activity-sentence")).toHaveText(
    [
      "Renamed the organization",
      "Removed an invitation",
      "Sent an invitation again",
      "Invited a new member to the organization",
      "Created the organization",
    ],
    { timeout: 20_000 },
  );
  await expect(entries.nth(1)).toContainText(guest);
  await watcherContext.close();

  // Filter by type (kept in the URL), then by actor.
  await page.goto(`/orgs/${renamed}/activity`);
  const sentences = page.getByTestId("activity-sentence");
  await page.getByText("All types").click();
  await page.getByLabel("Removed an invitation").check();
  await page.getByLabel("Renamed the organization").check();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "2 types" })).toBeVisible();
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/type=invitation\.removed/);
  await expect(sentences).toHaveText(["Renamed the organization", "Removed an invitation"]);
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(sentences).toHaveCount(5);
  // The actor filter searches the members (a JSON route) and shows the active one.
  const actor = page.getByRole("combobox", { name: "Actor" });
  await actor.fill("Ada Act");
  await page.getByRole("option", { name: `Ada Activity (${email})` }).click();
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/actor=/);
  await expect(sentences).toHaveCount(5);
  await expect(actor).toHaveValue(`Ada Activity (${email})`);
  // A stranger's search of this org's members is a 404, like the org itself.
  const stranger = await browser.newContext();
  const strangerPage = await stranger.newPage();
  await newSignedInUser(strangerPage, "stranger", "Sam Stranger");
  expect((await strangerPage.request.get(`/orgs/${renamed}/members/search?q=Ada`)).status()).toBe(404);
  expect((await page.request.get(`/orgs/${renamed}/members/search?q=Ada`)).status()).toBe(200);
  await stranger.close();

  // Export the filtered range as CSV.
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const download = await downloading;
  const csv = await readFile((await download.path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe("time_utc,type,sentence,actor_name,actor_email,api_token,target_type,target,ip,user_agent,metadata");
  expect(lines).toHaveLength(6);
  expect(csv).toContain(`invitation.removed,Removed an invitation,Ada Activity,${email}`);
  expect(csv).toContain("organization.renamed");

  // The overview shows the last five with "View all".
  await page.goto(`/orgs/${renamed}`);
  await expect(page.getByRole("list", { name: "Recent activity" }).getByTestId("activity-entry")).toHaveCount(5);
  await expect(page.getByRole("link", { name: "View all" })).toHaveAttribute("href", `/orgs/${renamed}/activity`);
});

import { expect, test } from "@playwright/test";

import { newSignedInUser, uniqueSuffix } from "./helpers";

// The members list is server markup shipped once (components/ui/server-markup.tsx);
// its controls work through one client component's delegated events.
test("the members list: rows shipped once, controls by mouse and keyboard, and the list survives client navigation", async ({ page }) => {
  const org = `list-${uniqueSuffix()}`;
  const { email } = await newSignedInUser(page, "lister", "Lena Lister");
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}$`));

  // A browser's page holds the row once; any other request gets it in the RSC payload instead.
  const asPage = await (await page.request.get(`/orgs/${org}/members`, { headers: { accept: "text/html" } })).text();
  expect(asPage.split("member-row").length - 1).toBe(1);
  expect(asPage).toContain('data-testid="member-row"');
  const asOther = await (await page.request.get(`/orgs/${org}/members`, { headers: { accept: "*/*" } })).text();
  expect(asOther.split("member-row").length - 1).toBe(2);

  await page.goto(`/orgs/${org}/members`);
  const row = page.getByTestId("member-row").filter({ hasText: email });
  await expect(row).toHaveAttribute("data-role", "owner");
  const select = row.getByLabel("Role of Lena Lister", { exact: true });

  // Arrow keys only pick a role: Save appears, Escape puts the saved role back.
  await select.focus();
  await page.keyboard.press("ArrowDown");
  await expect(select).toHaveValue("admin");
  await expect(row.getByRole("button", { name: "Save Lena Lister's role" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(select).toHaveValue("owner");
  await expect(row.getByRole("button", { name: "Save Lena Lister's role" })).toHaveCount(0);

  // A choice saves at once; the only owner's demotion is refused, said in a toast, and the select goes back.
  await select.selectOption("admin");
  await expect(page.getByText(/needs at least one owner/).first()).toBeVisible();
  await expect(select).toHaveValue("owner");
  await expect(row).toHaveAttribute("data-role", "owner");

  // Leave opens the list's dialog; as the last member it says why not, and focus returns to the row's button.
  const leave = row.getByRole("button", { name: "Leave organization" });
  await leave.click();
  await expect(page.getByRole("dialog")).toContainText("you cannot leave it");
  await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(leave).toBeFocused();

  // Away and back through the router (its cached payload carries no rows): the rows are still there.
  await page.getByRole("link", { name: "Activity", exact: true }).click();
  await expect(page.getByTestId("activity-entry").first()).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}/members$`));
  await expect(page.getByTestId("member-row").filter({ hasText: email })).toBeVisible();
  await page.goForward();
  await expect(page.getByTestId("activity-entry").first()).toContainText("Created the organization");
});

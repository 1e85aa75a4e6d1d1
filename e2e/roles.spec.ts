import { expect, request, test, type Browser, type Page } from "@playwright/test";

import { enterCard, fillBillingAddress, linkFromLatestEmail, newSignedInUser, uniqueEmail, uniqueSuffix } from "./helpers";

const INVITE_REFUSAL = "Only owners and admins can invite members or manage invitations.";
const DELETE_REFUSAL = "Only owners can delete the organization.";
const LAST_OWNER =
  "An organization needs at least one owner. Make another member an owner first, or delete the organization (Settings → Danger zone).";

/** Invites `email` with `role` (the option's label) from the Members page the page is on. */
async function invite(page: Page, email: string, role: string) {
  const form = page.getByRole("form", { name: "Invite members" });
  await form.getByLabel("Email addresses").fill(email);
  await form.getByTestId("invite-role").selectOption({ label: role });
  await form.getByRole("button", { name: "Invite", exact: true }).click();
}

/** Someone without an account opens their e-mailed link in a browser of their own, signs up from it and joins. */
async function joinFromLink(browser: Browser, link: string, org: string, inviter: string, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await expect(page.getByRole("heading", { name: `${inviter} invited you to join ${org}` })).toBeVisible();
  await page.getByRole("link", { name: "Sign up to join" }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Password").fill(`${name} has a long passphrase 7`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/invitations\/[^/]+$/);
  await page.getByRole("button", { name: `Join ${org}` }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}$`));
  await expect(page.getByText(`You joined ${org}`)).toBeVisible();
  return { context, page };
}

test("roles: an owner invites an admin and a viewer; each can do what their role allows, the server refuses the rest, and the last owner hands over before leaving", async ({
  page: owner,
  browser,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const org = `roles-${uniqueSuffix()}`;
  await newSignedInUser(owner, "olivia", "Olivia Owner");

  // Pro, so the org has room for the owner, an admin, a viewer and one more member (Starter allows 3).
  await owner.getByLabel("Organization name").fill(org);
  await owner.getByRole("radio", { name: /Pro/ }).check();
  await owner.getByRole("button", { name: "Create organization" }).click();
  await expect(owner).toHaveURL(new RegExp(`/orgs/${org}/settings/billing\\?plan=pro$`));
  await fillBillingAddress(owner, {
    name: "Olivia's Company",
    line1: "1 Main Street",
    city: "Berlin",
    postalCode: "10115",
    country: "Germany",
  });
  await owner.getByRole("button", { name: "Save and continue to payment" }).click();
  await expect(owner).toHaveURL(/\/checkout\/[0-9a-f-]+$/);
  await enterCard(owner, "4242 4242 4242 4242");
  await owner.getByRole("button", { name: "Start Pro" }).click();
  await expect(owner.getByTestId("current-plan")).toHaveText("Pro");

  await owner.goto(`/orgs/${org}`);
  await expect(owner.getByTestId("org-your-role")).toHaveText("Owner");

  // 1. The owner invites an admin and a viewer, one submission each with its role.
  const adminEmail = uniqueEmail("adam");
  const viewerEmail = uniqueEmail("vera");
  await owner.goto(`/orgs/${org}/members`);
  await invite(owner, adminEmail, "Admin");
  await expect(owner.getByText(`Invitation sent to ${adminEmail}`)).toBeVisible();
  await invite(owner, viewerEmail, "Viewer");
  await expect(owner.getByText(`Invitation sent to ${viewerEmail}`)).toBeVisible();

  await owner.goto(`/orgs/${org}/invitations`);
  await expect(owner.getByTestId("invitation-row").filter({ hasText: adminEmail }).getByTestId("invitation-role")).toHaveText("Admin");
  await expect(owner.getByTestId("invitation-row").filter({ hasText: viewerEmail }).getByTestId("invitation-role")).toHaveText("Viewer");

  const adminLink = await linkFromLatestEmail(owner, adminEmail, /invited to join/);
  const viewerLink = await linkFromLatestEmail(owner, viewerEmail, /invited to join/);
  const { context: adminContext, page: admin } = await joinFromLink(browser, adminLink, org, "Olivia Owner", "Adam Admin");
  const { context: viewerContext, page: viewer } = await joinFromLink(browser, viewerLink, org, "Olivia Owner", "Vera Viewer");
  await expect(admin.getByTestId("org-your-role")).toHaveText("Admin");
  await expect(viewer.getByTestId("org-your-role")).toHaveText("Viewer");

  await owner.goto(`/orgs/${org}/members`);
  await expect(owner.getByTestId("member-row").filter({ hasText: "Adam Admin" })).toHaveAttribute("data-role", "admin");
  await expect(owner.getByTestId("member-row").filter({ hasText: "Vera Viewer" })).toHaveAttribute("data-role", "viewer");

  // 2. The viewer sees who can invite instead of the form...
  await viewer.goto(`/orgs/${org}/members`);
  await expect(viewer.getByRole("form", { name: "Invite members" })).toHaveCount(0);
  const viewerNote = viewer.getByTestId("permission-note").and(viewer.locator('[data-permission="invitations.manage"]'));
  await expect(viewerNote).toHaveText(INVITE_REFUSAL);
  await expect(viewerNote).toHaveRole("note");
  await expect(viewer.getByTestId("member-row").filter({ hasText: "Vera Viewer" }).getByTestId("member-role")).toHaveText("Viewer");

  // ...and the server refuses a forged invitation: the viewer's own (read-only) API token, straight to the REST API.
  await viewer.goto(`/orgs/${org}/settings/api`);
  await expect(viewer.getByTestId("token-read-only")).toBeVisible();
  await viewer.getByLabel("Token name").fill("vera-script");
  await viewer.getByRole("button", { name: "Create token" }).click();
  const token = (await viewer.getByTestId("new-token-value").textContent())!.trim();
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const listed = await api.get("/api/v1/invitations");
  expect(listed.status()).toBe(200);
  const forged = await api.post("/api/v1/invitations", { data: { emails: [uniqueEmail("forged")] } });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).error.message).toBe(INVITE_REFUSAL);
  await api.dispose();

  // 3. The admin cannot delete the org...
  await admin.goto(`/orgs/${org}/settings`);
  await expect(admin.getByTestId("permission-note").and(admin.locator('[data-permission="org.delete"]'))).toHaveText(DELETE_REFUSAL);
  await expect(admin.getByRole("button", { name: "Delete organization" })).toHaveCount(0);

  // ...but invites a member. This Members page stays open, unreloaded, through the demotion below.
  await admin.goto(`/orgs/${org}/members`);
  await expect(admin.getByTestId("invite-role").locator("option")).toHaveText(["Admin", "Member", "Billing manager", "Viewer"]);
  const memberEmail = uniqueEmail("mia");
  await invite(admin, memberEmail, "Member");
  await expect(admin.getByText(`Invitation sent to ${memberEmail}`)).toBeVisible();

  // 4. The owner demotes the admin to member.
  await owner.goto(`/orgs/${org}/members`);
  await owner
    .getByTestId("member-role-select")
    .and(owner.getByLabel("Role of Adam Admin", { exact: true }))
    .selectOption("member");
  await expect(owner.getByText("Adam Admin is now member")).toBeVisible();
  await expect(owner.getByTestId("member-row").filter({ hasText: "Adam Admin" })).toHaveAttribute("data-role", "member");

  // The former admin's open page still shows the form; the server refuses what it sends.
  const lateEmail = uniqueEmail("late");
  await invite(admin, lateEmail, "Member");
  await expect(admin.getByRole("form", { name: "Invite members" }).getByTestId("form-error")).toHaveText(INVITE_REFUSAL);
  await expect(admin.getByText(`Invitation sent to ${lateEmail}`)).toHaveCount(0);
  await owner.goto(`/orgs/${org}/invitations`);
  await expect(owner.getByTestId("invitation-row").filter({ hasText: memberEmail })).toBeVisible();
  await expect(owner.getByTestId("invitation-row").filter({ hasText: lateEmail })).toHaveCount(0);

  // 5. The only owner cannot leave: the dialog says why and offers no way to.
  await owner.goto(`/orgs/${org}/settings`);
  await owner.getByRole("button", { name: "Leave organization" }).click();
  let dialog = owner.getByRole("dialog");
  await expect(dialog.getByTestId("last-owner-message")).toContainText(LAST_OWNER);
  await expect(dialog.getByRole("textbox")).toHaveCount(0);
  await expect(dialog.getByRole("button", { name: "Leave organization" })).toHaveCount(0);
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toHaveCount(0);

  // The owner makes the former admin an owner...
  await owner.goto(`/orgs/${org}/members`);
  await owner
    .getByTestId("member-role-select")
    .and(owner.getByLabel("Role of Adam Admin", { exact: true }))
    .selectOption("owner");
  await expect(owner.getByText("Adam Admin is now owner")).toBeVisible();
  await expect(owner.getByTestId("member-row").filter({ hasText: "Adam Admin" })).toHaveAttribute("data-role", "owner");

  // ...and can now leave, typing the org's name to confirm.
  await owner.goto(`/orgs/${org}/settings`);
  await owner.getByRole("button", { name: "Leave organization" }).click();
  dialog = owner.getByRole("dialog");
  await expect(dialog.getByTestId("last-owner-message")).toHaveCount(0);
  await dialog.getByLabel(/to confirm/).fill(org);
  await dialog.getByRole("button", { name: "Leave organization" }).click();
  await expect(owner).toHaveURL(/\/onboarding/);
  await expect(owner.getByText(`You left the organization ${org}`)).toBeVisible();

  // The org goes on with its new owner.
  await admin.goto(`/orgs/${org}`);
  await expect(admin.getByTestId("org-your-role")).toHaveText("Owner");
  await admin.goto(`/orgs/${org}/members`);
  await expect(admin.getByTestId("member-row").filter({ hasText: "Olivia Owner" })).toHaveCount(0);

  await adminContext.close();
  await viewerContext.close();
});

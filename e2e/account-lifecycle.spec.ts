import { expect, test } from "@playwright/test";

import { linkFromLatestEmail, newSignedInUser, signIn, uniqueEmail, uniqueSuffix } from "./helpers";

test("a user changes e-mail through the link sent to the new address; other sessions end, an invitation to the new address appears", async ({
  page,
  browser,
}) => {
  const user = await newSignedInUser(page, "mover", "Mona Mover");
  // A second browser, signed in: confirming the new address signs it out.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signIn(other, user);
  await expect(other).toHaveURL(/\/onboarding/);

  const newEmail = uniqueEmail("moved");
  // Someone has already invited the new address.
  const acme = `acme-${uniqueSuffix()}`;
  const inviterContext = await browser.newContext();
  const inviter = await inviterContext.newPage();
  await newSignedInUser(inviter, "inviter", "Ivy Inviter");
  await inviter.getByLabel("Organization name").fill(acme);
  await inviter.getByRole("button", { name: "Create organization" }).click();
  await expect(inviter).toHaveURL(new RegExp(`/orgs/${acme}$`));
  await inviter.goto(`/orgs/${acme}/members`);
  await inviter.getByLabel("Email addresses").fill(newEmail);
  await inviter.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(inviter.getByText(`Invitation sent to ${newEmail}`)).toBeVisible();
  await inviterContext.close();

  await page.goto("/account");
  await page.getByLabel("New email address").fill(newEmail);
  await page.getByLabel("Current password").fill(user.password);
  await page.getByRole("button", { name: "Send confirmation link" }).click();
  await expect(page.getByText(`We sent a link to ${newEmail}`)).toBeVisible();
  // Nothing changed yet; the old address got a notice.
  await page.goto("/account");
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(user.email);
  const notice = await linkFromLatestEmail(page, user.email, /about to change/);
  expect(notice).toContain("/forgot-password");

  const link = await linkFromLatestEmail(page, newEmail, /Confirm your new email/);
  await page.goto(link);
  await expect(page.getByText(`Your account will use ${newEmail}`)).toBeVisible();
  await page.getByRole("button", { name: "Confirm new address" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(newEmail);

  // The invitation to the new address is now the user's to answer.
  await page.goto("/account/organizations");
  await expect(page.getByTestId("my-invitation").filter({ hasText: acme })).toBeVisible();

  // The link works once.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();

  // The other session ended; the new address signs in, the old one does not.
  await other.goto("/account");
  await expect(other).toHaveURL(/\/sign-in/);
  await signIn(other, user);
  await expect(other.getByTestId("form-error")).toHaveText("Invalid email or password.");
  await signIn(other, { email: newEmail, password: user.password });
  await expect(other).toHaveURL(/\/onboarding/);
  await otherContext.close();
});

test("a user deletes the account (its only org goes with it) and can no longer sign in; a wrong password is refused first", async ({
  page,
}) => {
  const user = await newSignedInUser(page, "leaver", "Leo Leaver");
  const orgName = `solo-${uniqueSuffix()}`;
  await page.getByLabel("Organization name").fill(orgName);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgName}`));

  await page.goto("/account/security");
  const dangerZone = page.locator("form").filter({ hasText: "Danger zone" });
  await dangerZone.getByLabel("Current password").fill("not my password");
  await dangerZone.getByRole("button", { name: "Delete my account" }).click();
  await expect(dangerZone.getByText("Your current password is not correct.")).toBeVisible();

  await dangerZone.getByLabel("Current password").fill(user.password);
  await dangerZone.getByRole("button", { name: "Delete my account" }).click();
  await expect(page).toHaveURL(/\/sign-in/);

  await signIn(page, user);
  await expect(page.getByTestId("form-error")).toHaveText("Invalid email or password.");
  // The last e-mail to the address confirms.
  await page.goto("/dev/mail");
  await expect(
    page
      .getByTestId("outbox-row")
      .filter({ hasText: `to ${user.email}` })
      .filter({ hasText: /account was deleted/ }),
  ).toBeVisible();
});

test("the last owner of an org with other members cannot delete the account: the org is named", async ({ page, browser }) => {
  const owner = await newSignedInUser(page, "owner", "Olga Owner");
  const acme = `acme-${uniqueSuffix()}`;
  await page.getByLabel("Organization name").fill(acme);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${acme}$`));

  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  const member = await newSignedInUser(memberPage, "member", "Max Member");
  await page.goto(`/orgs/${acme}/members`);
  await page.getByLabel("Email addresses").fill(member.email);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(page.getByText(`Invitation sent to ${member.email}`)).toBeVisible();
  await memberPage.goto(await linkFromLatestEmail(memberPage, member.email, /invited to join/));
  await memberPage.getByRole("button", { name: `Join ${acme}` }).click();
  await expect(memberPage).toHaveURL(new RegExp(`/orgs/${acme}$`));
  await memberContext.close();

  await page.goto("/account/security");
  const dangerZone = page.locator("form").filter({ hasText: "Danger zone" });
  await dangerZone.getByLabel("Current password").fill(owner.password);
  await dangerZone.getByRole("button", { name: "Delete my account" }).click();
  await expect(dangerZone.getByTestId("form-error")).toContainText(`You are the last owner of ${acme}`);
  // Still signed in, still the owner.
  await page.goto(`/orgs/${acme}/members`);
  await expect(page).toHaveURL(new RegExp(`/orgs/${acme}/members$`));
});

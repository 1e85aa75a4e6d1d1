import { expect, test } from "@playwright/test";

import { linkFromLatestEmail, newSignedInUser, uniqueEmail, uniqueSuffix } from "./helpers";

test("Alice invites Bob, who signs up from the link and joins; resend, remove and member removal work", async ({
  page: alice,
  browser,
}) => {
  const acme = `acme-${uniqueSuffix()}`;
  await newSignedInUser(alice, "alice", "Alice Admin");
  await alice.getByLabel("Organization name").fill(acme);
  await alice.getByRole("button", { name: "Create organization" }).click();
  await expect(alice).toHaveURL(new RegExp(`/orgs/${acme}$`));

  // Invite Bob, who has no account yet.
  const bob = uniqueEmail("bob");
  await alice.goto(`/orgs/${acme}/members`);
  await alice.getByLabel("Email addresses").fill(bob);
  await alice.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(alice.getByText(`Invitation sent to ${bob}`)).toBeVisible();
  await expect(alice.getByTestId("seat-usage")).toContainText("1 pending invitation");

  const bobLink = await linkFromLatestEmail(alice, bob, /invited to join/);
  expect(bobLink).toContain("/invitations/");

  // Bob opens the link signed out, signs up from it (email locked), comes back and joins.
  const bobContext = await browser.newContext();
  const bobPage = await bobContext.newPage();
  await bobPage.goto(bobLink);
  await expect(bobPage.getByRole("heading", { name: `Alice Admin invited you to join ${acme}` })).toBeVisible();
  await bobPage.getByRole("link", { name: "Sign up to join" }).click();
  await expect(bobPage.getByLabel("Email")).toHaveValue(bob);
  await expect(bobPage.getByLabel("Email")).not.toBeEditable();
  await bobPage.getByLabel("Name").fill("Bob Builder");
  await bobPage.getByLabel("Password").fill("bob's long passphrase 42");
  await bobPage.getByRole("button", { name: "Create account" }).click();
  await expect(bobPage).toHaveURL(/\/invitations\/[^/]+$/);
  await bobPage.getByRole("button", { name: `Join ${acme}` }).click();
  await expect(bobPage).toHaveURL(new RegExp(`/orgs/${acme}$`));
  await expect(bobPage.getByText(`You joined ${acme}`)).toBeVisible();
  await expect(bobPage.getByTestId("current-org")).toHaveText(acme);
  // The link proved Bob's address: no verification banner.
  await expect(bobPage.getByRole("region", { name: "Email verification" })).toHaveCount(0);

  // Alice sees Bob among the members.
  await alice.goto(`/orgs/${acme}/members`);
  await expect(alice.getByTestId("member-row").filter({ hasText: "Bob Builder" })).toContainText(bob);

  // Carol: invite, resend (the first link stops working), remove (the second link says removed).
  const carol = uniqueEmail("carol");
  await alice.getByLabel("Email addresses").fill(carol);
  await alice.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(alice.getByText(`Invitation sent to ${carol}`)).toBeVisible();
  const firstCarolLink = await linkFromLatestEmail(alice, carol, /invited to join/);

  await alice.goto(`/orgs/${acme}/invitations`);
  const carolRow = alice.getByTestId("invitation-row").filter({ hasText: carol });
  await expect(carolRow).toContainText("Invite pending");
  // Resending within a minute is refused with a clear message.
  await carolRow.getByRole("button", { name: `Resend the invitation to ${carol}` }).click();
  await expect(alice.getByText(/You can send it again in \d+ s/)).toBeVisible();

  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  await stranger.goto(firstCarolLink);
  await expect(stranger.getByRole("heading", { name: /invited you to join/ })).toBeVisible();

  await carolRow.getByRole("button", { name: `Remove the invitation to ${carol}` }).click();
  await alice.getByRole("dialog").getByRole("button", { name: "Remove invitation" }).click();
  await expect(alice.getByText(`The invitation sent to ${carol} was removed`)).toBeVisible();
  await stranger.goto(firstCarolLink);
  await expect(stranger.getByTestId("invitation-state")).toHaveAttribute("data-state", "removed");
  await strangerContext.close();

  // Alice removes Bob; his next page load in acme is a 404.
  await alice.goto(`/orgs/${acme}/members`);
  await alice.getByRole("button", { name: "Remove Bob Builder" }).click();
  const dialog = alice.getByRole("dialog");
  await dialog.getByLabel(/to confirm/).fill(acme);
  await dialog.getByRole("button", { name: "Remove member" }).click();
  await expect(alice.getByText(`Bob Builder was removed from the organization ${acme}`)).toBeVisible();
  await expect(alice.getByTestId("member-row").filter({ hasText: "Bob Builder" })).toHaveCount(0);

  await bobPage.goto(`/orgs/${acme}`);
  await expect(bobPage.getByRole("heading", { name: "This page could not be found" })).toBeVisible();
  await bobContext.close();
});

test("an invitation for another address offers to sign out; bulk invites say what happened per address", async ({ page, browser }) => {
  const org = `bulk-${uniqueSuffix()}`;
  const { email: ownerEmail } = await newSignedInUser(page, "owner", "Olga Owner");
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}$`));

  await page.goto(`/orgs/${org}/members`);
  const dan = uniqueEmail("dan");
  await page.getByLabel("Email addresses").fill(`${dan}, not-an-email\n${ownerEmail} ${dan}`);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  const results = page.getByTestId("invite-results");
  await expect(results).toContainText(`${dan}Invitation sent.`);
  await expect(results).toContainText("not-an-email");
  await expect(results).toContainText("Already a member.");
  await expect(results).toContainText("Listed more than once");

  // Starter allows 3 seats: 1 member + 1 pending + 1 more, then the form is disabled.
  await page.getByLabel("Email addresses").fill(`${uniqueEmail("erin")}, ${uniqueEmail("fay")}`);
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(results).toContainText("Your plan allows 3 members. Upgrade your plan or contact support.");
  await expect(page.getByRole("button", { name: "Invite", exact: true })).toBeDisabled();

  // Dan's link, opened by someone signed in with another address.
  const danLink = await linkFromLatestEmail(page, dan, /invited to join/);
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  const { email: otherEmail } = await newSignedInUser(other, "other");
  await other.goto(danLink);
  await expect(other.getByText(`This invitation is for ${dan}, and you are signed in as ${otherEmail}`)).toBeVisible();
  await other.getByRole("button", { name: "Sign out" }).click();
  await expect(other.getByRole("link", { name: "Sign in to join" })).toBeVisible();
  await otherContext.close();
});

import { expect, test, type Browser, type Page } from "@playwright/test";
import { generateSync } from "otplib";

import { linkFromLatestEmail, newSignedInUser, signIn, signOut, uniqueEmail, uniqueSuffix } from "./helpers";

/** The code an authenticator app would show, `steps` periods of 30 s from now (each step is accepted once). */
function codeFor(secret: string, steps = 0): string {
  return generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
}

/** Turns two-factor on from Account → Security with the shown key; returns the key and the recovery codes. */
async function enableTwoFactor(page: Page): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.goto("/account/security");
  await page.getByRole("button", { name: "Set up two-factor" }).click();
  await expect(page.getByRole("img", { name: "QR code of the two-factor key" })).toBeVisible();
  const secret = (await page.getByTestId("two-factor-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await page.getByLabel("Code").fill("000000");
  await page.getByRole("button", { name: "Turn on two-factor" }).click();
  await expect(page.getByText(/That code is not valid/)).toBeVisible();
  await page.getByLabel("Code").fill(codeFor(secret));
  await page.getByRole("button", { name: "Turn on two-factor" }).click();
  const list = page.getByTestId("recovery-codes");
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const recoveryCodes = (await list.getByRole("listitem").allTextContents()).map((code) => code.trim());
  return { secret, recoveryCodes };
}

test("two-factor: set up with the shown key, then sign in with a code, then with a recovery code (once)", async ({ page }) => {
  test.setTimeout(120_000);
  const { email, password } = await newSignedInUser(page, "tina", "Tina Twofactor");
  const { secret, recoveryCodes } = await enableTwoFactor(page);
  await page.goto("/account/security");
  await expect(page.getByText("10 of 10 recovery codes left")).toBeVisible();

  // The password alone no longer signs in: the code step follows.
  await signOut(page);
  await signIn(page, { email, password });
  await expect(page.getByLabel("Authentication code")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Authentication code").fill("123456");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByText(/That code is not valid/)).toBeVisible();
  // The set-up used this period's code: the next period's (a phone a little ahead) is a fresh one.
  await page.getByLabel("Authentication code").fill(codeFor(secret, 1));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/onboarding/);

  // With a recovery code, which then is used up.
  await signOut(page);
  await signIn(page, { email, password });
  await page.getByLabel("Authentication code").fill(recoveryCodes[0]!);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/onboarding/);
  await page.goto("/account/security");
  await expect(page.getByText("9 of 10 recovery codes left")).toBeVisible();

  await signOut(page);
  await signIn(page, { email, password });
  await page.getByLabel("Authentication code").fill(recoveryCodes[0]!);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByText(/That code is not valid/)).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);

  // The e-mail that says it was turned on.
  await linkFromLatestEmail(page, email, /Two-factor authentication was turned on/);
});

async function joinFromLink(browser: Browser, link: string, org: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole("link", { name: "Sign up to join" }).click();
  await page.getByLabel("Name").fill("Max Member");
  await page.getByLabel("Password").fill("Max Member has a long passphrase 7");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/invitations\/[^/]+$/);
  await page.getByRole("button", { name: `Join ${org}` }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}$`));
  return { context, page };
}

test("an owner requires two-factor: a member without it is stopped at the banner until they turn it on", async ({
  page: owner,
  browser,
}) => {
  test.setTimeout(180_000);
  const org = `tfa-${uniqueSuffix()}`;
  await newSignedInUser(owner, "owen", "Owen Owner");
  await owner.getByLabel("Organization name").fill(org);
  await owner.getByRole("button", { name: "Create organization" }).click();
  await expect(owner).toHaveURL(new RegExp(`/orgs/${org}$`));

  const memberEmail = uniqueEmail("max");
  await owner.goto(`/orgs/${org}/members`);
  const form = owner.getByRole("form", { name: "Invite members" });
  await form.getByLabel("Email addresses").fill(memberEmail);
  await form.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(owner.getByText(`Invitation sent to ${memberEmail}`)).toBeVisible();
  const { context, page: member } = await joinFromLink(browser, await linkFromLatestEmail(owner, memberEmail, /invited to join/), org);

  // An owner without two-factor cannot require it (they would lock themselves out).
  await owner.goto(`/orgs/${org}/settings`);
  await owner.getByRole("button", { name: "Require two-factor" }).click();
  await expect(owner.getByText(/your own account first/)).toBeVisible();

  await enableTwoFactor(owner);
  await owner.goto(`/orgs/${org}/settings`);
  // Before: who requiring it would stop.
  const list = owner.getByTestId("two-factor-non-compliant");
  await expect(list).toContainText("Requiring it would stop these members");
  await expect(list.getByRole("listitem")).toHaveText([`Max Member (${memberEmail})`]);
  await owner.getByRole("button", { name: "Require two-factor" }).click();
  await expect(owner.getByTestId("two-factor-policy")).toHaveText("Required of every member.");
  await expect(list).toContainText("Stopped until they turn it on (they were e-mailed)");
  await expect(list.getByRole("listitem")).toHaveText([`Max Member (${memberEmail})`]);

  // The member: every page of the org leads to the banner.
  await member.goto(`/orgs/${org}/apps`);
  await expect(member).toHaveURL(/\/two-factor-required\?org=/);
  await expect(member.getByTestId("two-factor-banner")).toContainText(`${org} requires two-factor authentication`);

  // Turning it on opens the org again.
  await member.getByRole("link", { name: "Turn on two-factor" }).click();
  await expect(member).toHaveURL(/\/account\/security$/);
  await enableTwoFactor(member);
  await member.goto(`/orgs/${org}`);
  await expect(member.getByTestId("org-title")).toHaveText(org);

  // The activity says who required it.
  await owner.goto(`/orgs/${org}/activity`);
  await expect(owner.getByText("Required two-factor authentication of every member")).toBeVisible();
  await context.close();
});

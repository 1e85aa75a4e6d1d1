import { expect, test } from "@playwright/test";

import { linkFromLatestEmail, newSignedInUser, signIn, signOut, uniqueEmail } from "./helpers";

test("a new user signs up and is signed in at once, verifies the address, signs out and in, and resets the password", async ({
  page,
  browser,
}) => {
  const email = uniqueEmail("alice");
  const password = "correct horse battery staple";
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Alice Liddell");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();

  // Signed in at once, where a user without organizations starts; the banner asks to verify.
  await expect(page).toHaveURL(/\/onboarding/);
  await expect(page.getByRole("region", { name: "Email verification" })).toContainText(email);

  // The verification e-mail is in the outbox; its link verifies the address.
  const verifyLink = await linkFromLatestEmail(page, email, /Verify your email/);
  expect(verifyLink).toContain("/verify-email/");
  await page.goto(verifyLink);
  await expect(page.getByRole("heading", { name: "Your email address is verified" })).toBeVisible();
  await page.getByRole("link", { name: "Continue to the console" }).click();
  await expect(page).toHaveURL(/\/onboarding/);
  await expect(page.getByRole("region", { name: "Email verification" })).toHaveCount(0);

  await signOut(page);
  await signIn(page, { email, password });
  await expect(page).toHaveURL(/\/onboarding/);

  // A second session (another browser) that the reset must end.
  const otherContext = await browser.newContext();
  const otherPage = await otherContext.newPage();
  await signIn(otherPage, { email, password });
  await expect(otherPage).toHaveURL(/\/onboarding/);

  await signOut(page);
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByTestId("form-success")).toContainText("If an account exists");
  const resetLink = await linkFromLatestEmail(page, email, /Reset your/);
  await page.goto(resetLink);
  const newPassword = "a brand new passphrase 2026";
  await page.getByLabel("New password").fill(newPassword);
  // Revoking the account's API tokens is offered, and on by default.
  await expect(page.getByLabel("Also revoke all my API tokens")).toBeChecked();
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByTestId("form-success")).toContainText("Your password was changed");

  // The old password fails, the new one works.
  await signIn(page, { email, password });
  await expect(page.getByTestId("form-error")).toHaveText("Invalid email or password.");
  await signIn(page, { email, password: newPassword });
  await expect(page).toHaveURL(/\/onboarding/);

  // The reset link works once.
  await page.goto(resetLink);
  await expect(page.getByRole("heading", { name: "This reset link cannot be used" })).toBeVisible();

  // The other session was signed out by the reset.
  await otherPage.goto("/account");
  await expect(otherPage).toHaveURL(/\/sign-in/);
  await otherContext.close();
});

test("sign-up and sign-in explain bad input without revealing accounts", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Bob");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("email-error")).toContainText("valid email");
  await expect(page.getByTestId("password-error")).toContainText("at least 8");
  // What was typed is kept.
  await expect(page.getByLabel("Name")).toHaveValue("Bob");

  await page.getByLabel("Email").fill(uniqueEmail("bob"));
  await page.getByLabel("Password").fill("password1");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("password-error")).toContainText("too common");

  await signIn(page, { email: uniqueEmail("nobody"), password: "whatever-password" });
  await expect(page.getByTestId("form-error")).toHaveText("Invalid email or password.");
});

test("signing up with an address that has an account signs nobody in and e-mails its owner", async ({ page, browser }) => {
  const ownerContext = await browser.newContext();
  const { email, password } = await newSignedInUser(await ownerContext.newPage(), "taken");
  await ownerContext.close();

  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Someone Else");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(`${password} but another`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await page.goto("/account");
  await expect(page).toHaveURL(/\/sign-in/);
  // Its owner is told instead, with the way to sign in or reset.
  const link = await linkFromLatestEmail(page, email, /You already have a/);
  expect(link).toMatch(/\/(sign-in|forgot-password)$/);
});

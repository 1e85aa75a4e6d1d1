import { expect, test } from "@playwright/test";

import { newSignedInUser, signIn, signOut } from "./helpers";

test("signing out ends that session on the server: a copy of its cookie opens nothing, other devices stay signed in", async ({
  page,
  browser,
}) => {
  const { email, password } = await newSignedInUser(page, "cookie", "Cora Cookie");

  // Another device of the same user.
  const phone = await browser.newContext();
  const phonePage = await phone.newPage();
  await signIn(phonePage, { email, password });
  await expect(phonePage).not.toHaveURL(/\/sign-in/);

  // Someone copies the laptop's cookies before the user signs out.
  const copied = await page.context().cookies();
  expect(copied.some((cookie) => cookie.name.includes("session-token"))).toBe(true);
  await page.goto("/account");
  await signOut(page);

  const thief = await browser.newContext();
  await thief.addCookies(copied);
  const thiefPage = await thief.newPage();
  await thiefPage.goto("/account");
  await expect(thiefPage).toHaveURL(/\/sign-in/);

  // The phone was not signed out.
  await phonePage.goto("/account");
  await expect(phonePage).toHaveURL(/\/account$/);
  await expect(phonePage.getByRole("heading", { name: "Account settings" })).toBeVisible();

  await thief.close();
  await phone.close();
});

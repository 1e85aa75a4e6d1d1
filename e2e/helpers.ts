import { expect, type Page } from "@playwright/test";

let counter = 0;

/** A fresh address per test, so tests never collide in the shared database. */
export function uniqueEmail(label: string): string {
  counter += 1;
  return `${label}-${Date.now().toString(36)}-${counter}@example.test`;
}

/** Opens the newest outbox e-mail to `to` whose subject matches, and returns the first link to the app in it. */
export async function linkFromLatestEmail(page: Page, to: string, subject: RegExp): Promise<string> {
  let href: string | undefined;
  await expect(async () => {
    await page.goto("/dev/mail");
    const row = page
      .getByTestId("outbox-row")
      .filter({ hasText: `to ${to}` })
      .filter({ hasText: subject })
      .first();
    await expect(row).toBeVisible({ timeout: 1000 });
    await row.click();
    const text = await page.getByTestId("email-text").textContent();
    href = text?.match(/https?:\/\/[^\s)\]]+/)?.[0];
    expect(href).toBeTruthy();
  }).toPass({ timeout: 15_000 });
  return href!;
}

/** Creates an account from the sign-up page: a new account is signed in at once and lands in onboarding. */
export async function signUp(page: Page, { name, email, password }: { name: string; email: string; password: string }) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/onboarding/);
}

export async function signIn(page: Page, { email, password }: { email: string; password: string }) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Open user menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** Opens the verification link e-mailed to `email` (from the outbox): the address is then verified. */
export async function verifyEmailAddress(page: Page, email: string) {
  await page.goto(await linkFromLatestEmail(page, email, /Verify your email/));
  await expect(page.getByTestId("verify-outcome")).toHaveAttribute("data-outcome", "verified");
}

/**
 * A new account with a verified address (creating an organization and inviting
 * need one), signed in and on onboarding: the start of every journey that is not
 * about signing up. Made through lib/ by the test-only seed route (the sign-up
 * form and the e-mailed link have journeys of their own in accounts.spec.ts),
 * which signs this browser context in. `verified: false` leaves the address unverified.
 */
export async function newSignedInUser(page: Page, label: string, name = "Test User", options: { verified?: boolean } = {}) {
  const email = uniqueEmail(label);
  const password = `passphrase for ${label} ${Date.now()}`;
  const response = await page.request.post("/api/test/seed", {
    headers: { "x-e2e-seed-token": process.env.E2E_SEED_TOKEN ?? "" },
    data: { name, email, password, verified: options.verified !== false },
  });
  expect(response.status(), await response.text()).toBe(200);
  await page.goto("/");
  await expect(page).toHaveURL(/\/onboarding/);
  return { email, password, name };
}

/** A short unique suffix so org names from different tests never collide. */
export function uniqueSuffix(): string {
  return Math.random().toString(36).slice(2, 7);
}

/** Types a card into the test payment page (the submit button is the caller's: "Start Pro", "Save card"). */
export async function enterCard(page: Page, number: string, expiry = "12 / 34", cvc = "123") {
  await page.getByLabel("Card number").fill(number);
  await page.getByLabel("Expiry").fill(expiry);
  await page.getByLabel("CVC").fill(cvc);
}

/** Fills the billing form's required fields; `country` is the option's label. */
export async function fillBillingAddress(
  page: Page,
  address: { name: string; line1: string; city: string; postalCode: string; country: string },
) {
  await page.getByLabel("Billing name or company").fill(address.name);
  await page.getByLabel("Address", { exact: true }).fill(address.line1);
  await page.getByLabel("City").fill(address.city);
  await page.getByLabel("Postal code").fill(address.postalCode);
  await page.getByLabel("Country").selectOption({ label: address.country });
}

import { expect, test } from "@playwright/test";

import { fillBillingAddress, newSignedInUser, uniqueSuffix } from "./helpers";

// The app's second instance, configured with STRIPE_SECRET_KEY against the local
// fake Stripe (playwright.config.ts): the card is entered on "Stripe's" page, and
// the signed webhook, not the browser, tells the app.
test.use({ baseURL: `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100) + 1}` });

test("with Stripe: Pro through a hosted checkout and its webhook; a cancelled replacement changes nothing", async ({ page }) => {
  const org = `stripe-${uniqueSuffix()}`;
  await newSignedInUser(page, "stripe", "Sid Stripe");
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("radio", { name: /Pro/ }).check();
  await page.getByRole("button", { name: "Create organization" }).click();

  await expect(page).toHaveURL(new RegExp(`/orgs/${org}/settings/billing\\?plan=pro$`));
  await expect(page.getByText("Cards are entered on Stripe's page")).toBeVisible();
  await fillBillingAddress(page, {
    name: "Sid's Studio BV",
    line1: "Damrak 1",
    city: "Amsterdam",
    postalCode: "1012 LG",
    country: "Netherlands",
  });
  await page.getByLabel("Tax ID (optional)").fill("NL123456789B01");
  await page.getByRole("button", { name: "Save and continue to payment" }).click();

  // "Stripe's" hosted page, on another origin.
  await expect(page.getByRole("heading", { name: "Fake Stripe Checkout" })).toBeVisible();
  expect(new URL(page.url()).port).not.toBe(new URL(test.info().project.use.baseURL ?? "http://x").port);
  await page.getByRole("button", { name: "Save card" }).click();

  // Back in the console: the webhook saved the card and applied the plan.
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}/settings/plan\\?checkout=`));
  await expect(page.getByTestId("checkout-status")).toContainText("on the Pro plan");
  await expect(page.getByTestId("current-plan")).toHaveText("Pro");

  await page.goto(`/orgs/${org}/settings/billing`);
  await expect(page.getByTestId("payment-method")).toContainText("Visa •••• 4242");

  // Replace, then go back from Stripe's page: nothing changes.
  await page.getByRole("button", { name: "Replace" }).click();
  await expect(page.getByRole("heading", { name: "Fake Stripe Checkout" })).toBeVisible();
  await page.getByRole("link", { name: "Back" }).click();
  await expect(page).toHaveURL(/cancelled=1/);
  await expect(page.getByTestId("checkout-status")).toContainText("Nothing was charged and nothing changed");
  await expect(page.getByTestId("payment-method")).toContainText("Visa •••• 4242");

  await page.goto(`/orgs/${org}/activity`);
  await expect(page.getByText("Added a payment method")).toBeVisible();
  await expect(page.getByText("Changed the plan")).toBeVisible();
});

import { expect, test, type Browser } from "@playwright/test";

import { enterCard, fillBillingAddress, linkFromLatestEmail, newSignedInUser, uniqueEmail, uniqueSuffix } from "./helpers";

/** Someone without an account signs up from the invitation link and joins. */
async function joinFromInvitation(browser: Browser, link: string, orgName: string, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await page.getByRole("link", { name: "Sign up to join" }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Password").fill(`${name} has a long passphrase 7`);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("button", { name: `Join ${orgName}` }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${orgName}$`));
  await context.close();
}

test("a new org chooses Pro: billing, a declined card, a good card, ten seats, and a refused downgrade", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const org = `paid-${uniqueSuffix()}`;
  await newSignedInUser(page, "payer", "Paula Payer");

  // Step 1, the name; step 2, the plan: Pro.
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("radio", { name: /Pro/ }).check();
  await expect(page.getByTestId("plan-picker-hint")).toContainText("billing information and a card for Pro");
  await page.getByRole("button", { name: "Create organization" }).click();

  // The org exists on Starter; the billing form comes next.
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}/settings/billing\\?plan=pro$`));
  await expect(page.getByTestId("upgrade-step")).toContainText("Moving to Pro");
  await fillBillingAddress(page, {
    name: "Paula's Company GmbH",
    line1: "Hauptstraße 1",
    city: "Berlin",
    postalCode: "10115",
    country: "Germany",
  });
  // A VAT number in the wrong format for the country is refused with an example.
  await page.getByLabel("Tax ID (optional)").fill("DE12345");
  await page.getByRole("button", { name: "Save and continue to payment" }).click();
  await expect(page.getByTestId("taxId-error")).toContainText("DE123456789");
  await page.getByLabel("Tax ID (optional)").fill("DE 123 456 789");
  await page.getByRole("button", { name: "Save and continue to payment" }).click();

  // The test payment page.
  await expect(page).toHaveURL(/\/checkout\/[0-9a-f-]+$/);
  await expect(page.getByTestId("test-mode-banner")).toHaveText("Test mode — no real charge");
  await expect(page.getByRole("heading", { name: "Pro plan · $29/month" })).toBeVisible();
  // A number failing the Luhn check never reaches the "provider".
  await enterCard(page, "4242 4242 4242 4241");
  await page.getByRole("button", { name: "Start Pro" }).click();
  await expect(page.getByTestId("cardNumber-error")).toHaveText("Your card number is invalid.");

  // Declined: the provider's message, and the org stays on Starter.
  await enterCard(page, "4000 0000 0000 0002");
  await page.getByRole("button", { name: "Start Pro" }).click();
  await expect(page.getByTestId("form-error")).toHaveText("Your card was declined.");
  // What was typed stays in the form (client state only: the server never echoes a card number).
  await expect(page.getByLabel("Card number")).toHaveValue("4000 0000 0000 0002");
  const checkoutUrl = page.url();
  await page.goto(`/orgs/${org}/settings/plan`);
  await expect(page.getByTestId("current-plan")).toHaveText("Starter");
  await expect(page.getByTestId("plan-seat-usage")).toHaveText("1 of 3 used");

  // 4242… succeeds: back in the console, on Pro.
  await page.goto(checkoutUrl);
  await enterCard(page, "4242 4242 4242 4242");
  await page.getByRole("button", { name: "Start Pro" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}/settings/plan\\?checkout=`));
  await expect(page.getByTestId("checkout-status")).toContainText("on the Pro plan");
  await expect(page.getByTestId("current-plan")).toHaveText("Pro");
  await expect(page.getByTestId("plan-pro")).toContainText("Current plan");
  await expect(page.getByTestId("plan-seat-usage")).toHaveText("1 of 10 used");

  // The billing page shows the card, never more than brand, last 4 and expiry; it cannot be removed on Pro.
  await page.goto(`/orgs/${org}/settings/billing`);
  await expect(page.getByTestId("payment-method")).toContainText("Visa •••• 4242");
  await expect(page.getByTestId("payment-method")).toContainText("Expires 12/2034");
  await page.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(page.getByRole("dialog")).toContainText("which needs a payment method");
  await page.getByRole("button", { name: "Close" }).click();

  // The activity stream tells the story.
  await page.goto(`/orgs/${org}/activity`);
  await expect(page.getByText("Tried to upgrade, but the payment method was declined")).toBeVisible();
  await expect(page.getByText("Added a payment method")).toBeVisible();
  await expect(page.getByText("Changed the plan")).toBeVisible();
  await expect(page.getByText("Updated the billing information")).toBeVisible();

  // Four teammates join: five members, more than Starter's three.
  const teammates = ["Tina", "Tom", "Theo", "Tara"].map((name) => ({ name, email: uniqueEmail(name.toLowerCase()) }));
  await page.goto(`/orgs/${org}/members`);
  await page.getByLabel("Email addresses").fill(teammates.map((t) => t.email).join(", "));
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(page.getByTestId("seat-usage")).toContainText("4 pending invitations");
  for (const teammate of teammates) {
    const link = await linkFromLatestEmail(page, teammate.email, /invited to join/);
    await joinFromInvitation(browser, link, org, teammate.name);
  }

  // Downgrading to Starter with 5 members is refused, saying how many to remove.
  await page.goto(`/orgs/${org}/settings/plan`);
  await expect(page.getByTestId("plan-seat-usage")).toHaveText("5 of 10 used");
  await page.getByRole("button", { name: "Move to Starter" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Move to Starter" }).click();
  await expect(dialog.getByTestId("form-error")).toContainText("Remove 2 members or pending invitations");
  await page.keyboard.press("Escape");
  await page.reload();
  await expect(page.getByTestId("current-plan")).toHaveText("Pro");

  // Pro allows ten: five more invitations fill it, and the form says so.
  await page.goto(`/orgs/${org}/members`);
  await page.getByLabel("Email addresses").fill(Array.from({ length: 5 }, (_, i) => uniqueEmail(`seat${i}`)).join("\n"));
  await page.getByRole("button", { name: "Invite", exact: true }).click();
  await expect(page.getByTestId("seat-usage")).toContainText("10 of 10 seats used");
  await expect(page.getByRole("button", { name: "Invite", exact: true })).toBeDisabled();
  await page.getByRole("link", { name: "Compare plans" }).click();
  await expect(page.getByTestId("plan-seat-usage")).toHaveText("10 of 10 used");
});

test("a Starter org adds billing information and a card, replaces it, then removes it", async ({ page }) => {
  const org = `cards-${uniqueSuffix()}`;
  await newSignedInUser(page, "cards", "Carl Cards");
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}$`));

  await page.goto(`/orgs/${org}/settings/billing`);
  await expect(page.getByTestId("no-payment-method")).toContainText("Save the billing information first");
  await expect(page.getByRole("button", { name: "Add a payment method" })).toBeDisabled();
  await page.getByRole("button", { name: "Save billing information" }).click();
  await expect(page.getByTestId("name-error")).toBeVisible();
  await expect(page.getByTestId("country-error")).toHaveText("Choose a country from the list.");
  await fillBillingAddress(page, {
    name: "Carl Cards",
    line1: "1 Main Street",
    city: "Springfield",
    postalCode: "12345",
    country: "United States",
  });
  await page.getByRole("button", { name: "Save billing information" }).click();
  await expect(page.getByText("Billing information saved")).toBeVisible();

  await page.getByRole("button", { name: "Add a payment method" }).click();
  await expect(page.getByRole("heading", { name: "Save a payment method" })).toBeVisible();
  await enterCard(page, "5555 5555 5555 4444", "01/31", "321");
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}/settings/billing\\?checkout=`));
  await expect(page.getByTestId("payment-method")).toContainText("Mastercard •••• 4444");

  await page.getByRole("button", { name: "Replace" }).click();
  await enterCard(page, "4242424242424242", "02/33", "111");
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page.getByTestId("payment-method")).toContainText("Visa •••• 4242");

  await page.getByRole("button", { name: "Remove", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove payment method" }).click();
  await expect(page.getByText("The payment method was removed")).toBeVisible();
  await expect(page.getByTestId("no-payment-method")).toBeVisible();
});

import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";

import { enterCard, fillBillingAddress, newSignedInUser, uniqueSuffix } from "./helpers";

/*
 * The built-in billing over two months, moved on with the billing page's test
 * clock (test mode): a Pro org is invoiced and pays; a card that declines
 * charges fails the next invoice and the org's pages say so; a good card pays it
 * at once. The clock is the server's: this spec moves it forward for every org,
 * which only ever bills periods that have ended.
 */

/** Moves billing's clock forward from the billing page; the action renews and charges before it answers. */
async function advanceMonth(page: Page, org: string) {
  await page.goto(`/orgs/${org}/settings/billing`);
  const before = await page.getByTestId("test-clock-now").textContent();
  await page.getByRole("button", { name: "Advance 1 month (31 days)" }).click();
  await expect(page.getByText(/^Billing's clock is now /)).toBeVisible();
  await expect(page.getByTestId("test-clock-now")).not.toHaveText(before ?? "");
}

/** Saves a card through the billing page's Replace and the test payment page. */
async function replaceCard(page: Page, org: string, number: string) {
  await page.goto(`/orgs/${org}/settings/billing`);
  await page.getByRole("button", { name: "Replace" }).click();
  await expect(page.getByRole("heading", { name: "Save a payment method" })).toBeVisible();
  await enterCard(page, number);
  await page.getByRole("button", { name: "Save card" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}/settings/billing\\?checkout=`));
  await expect(page.getByTestId("payment-method")).toContainText(`•••• ${number.slice(-4)}`);
}

/** The invoices page's newest row, once it has `count` rows and that row shows `status` (charges run in a job). */
async function newestInvoice(page: Page, org: string, count: number, status: string) {
  await expect(async () => {
    await page.goto(`/orgs/${org}/settings/invoices`);
    await expect(page.getByTestId("invoice-row")).toHaveCount(count, { timeout: 1000 });
    await expect(page.getByTestId("invoice-row").first().getByTestId("invoice-status")).toHaveText(status, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  return page.getByTestId("invoice-row").first();
}

test("a Pro org over two months: invoices paid, a PDF, a declined renewal with its banner, and a new card that pays it", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const org = `cycle-${uniqueSuffix()}`;
  await newSignedInUser(page, "cycle", "Cora Cycle");

  // Pro from the start, billed to France without a VAT number (VAT 20%): $29.00 + $5.80.
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("radio", { name: /Pro/ }).check();
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}/settings/billing\\?plan=pro$`));
  await fillBillingAddress(page, {
    name: "Cora's Café SARL",
    line1: "1 rue de Rivoli",
    city: "Paris",
    postalCode: "75001",
    country: "France",
  });
  await page.getByRole("button", { name: "Save and continue to payment" }).click();
  await expect(page).toHaveURL(/\/checkout\/[0-9a-f-]+$/);
  await enterCard(page, "4242 4242 4242 4242");
  await page.getByRole("button", { name: "Start Pro" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}/settings/plan\\?checkout=`));
  await expect(page.getByTestId("current-plan")).toHaveText("Pro");

  // The billing page: the subscription, its next invoice, the usage and the test clock.
  await page.goto(`/orgs/${org}/settings/billing`);
  await expect(page.getByTestId("subscription-plan")).toHaveText("Pro");
  await expect(page.getByTestId("subscription-status")).toHaveText("Active");
  await expect(page.getByTestId("next-invoice")).toContainText("$34.80");
  await expect(page.getByTestId("usage-hours")).toHaveText("0 h");
  await expect(page.getByRole("heading", { name: "Test clock" })).toBeVisible();

  // The first period's invoice, then a month later the renewal: both paid.
  await newestInvoice(page, org, 1, "Paid");
  await advanceMonth(page, org);
  const renewal = await newestInvoice(page, org, 2, "Paid");
  await expect(renewal).toContainText("$34.80");
  const number = (await renewal.getByRole("link").textContent())!.trim();
  expect(number).toMatch(/^INV-\d{6}$/);

  // Its page: seller, bill-to, lines, tax and total.
  await renewal.getByRole("link", { name: number }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}/settings/invoices/[0-9a-f-]+$`));
  await expect(page.getByTestId("invoice-number")).toHaveText(number);
  await expect(page.getByLabel("Seller")).toContainText("Cloud Console Ltd");
  await expect(page.getByTestId("invoice-bill-to")).toContainText("Cora's Café SARL");
  await expect(page.getByTestId("invoice-line").first()).toContainText(/Pro plan, .+ – .+/);
  await expect(page.getByTestId("invoice-tax")).toHaveText("$5.80");
  await expect(page.getByTestId("invoice-total")).toHaveText("$34.80");
  await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Invoices" })).toHaveAttribute(
    "aria-current",
    "page",
  );

  // The PDF: a download named after the invoice.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download PDF" }).click()]);
  expect(download.suggestedFilename()).toBe(`${number}.pdf`);
  expect(
    readFileSync((await download.path())!)
      .subarray(0, 5)
      .toString("latin1"),
  ).toBe("%PDF-");

  // A card that saves but declines charges: next month's invoice fails, and every page of the org says so.
  await replaceCard(page, org, "4000 0000 0000 0341");
  await advanceMonth(page, org);
  const failed = await newestInvoice(page, org, 3, "Failed");
  await expect(failed.getByTestId("invoice-retry")).toContainText(/^Retry on /);
  const banner = page.getByTestId("billing-state-banner");
  await expect(banner).toHaveAttribute("role", "alert");
  await expect(banner).toContainText("A payment failed — update your card");
  await page.goto(`/orgs/${org}/members`);
  await expect(banner).toBeVisible();
  await page.goto(`/orgs/${org}/settings/billing`);
  await expect(page.getByTestId("subscription-status")).toHaveText("Payment failed");
  await page.goto(`/orgs/${org}/apps`);
  await banner.getByRole("link", { name: "Update card" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}/settings/billing$`));

  // A good card pays the failed invoice at once: the banner goes, the invoice is paid.
  await replaceCard(page, org, "4242 4242 4242 4242");
  await newestInvoice(page, org, 3, "Paid");
  await expect(page.getByTestId("billing-state-banner")).toHaveCount(0);

  // Moving to Starter waits for the period's end, and can be taken back.
  await page.goto(`/orgs/${org}/settings/plan`);
  await page.getByRole("button", { name: "Move to Starter" }).click();
  await expect(page.getByRole("dialog")).toContainText("then moves to Starter");
  await page.getByRole("dialog").getByRole("button", { name: "Move to Starter" }).click();
  await expect(page.getByTestId("scheduled-cancellation")).toContainText(/Pro until .+, then Starter\./);
  await expect(page.getByTestId("current-plan")).toHaveText("Pro");
  await page.getByRole("button", { name: "Keep Pro" }).click();
  await expect(page.getByText(`${org} keeps the Pro plan`)).toBeVisible();
  await expect(page.getByTestId("scheduled-cancellation")).toHaveCount(0);
});

test("a Starter org: no invoices yet, and a free plan with its usage on the billing page", async ({ page }) => {
  const org = `noinv-${uniqueSuffix()}`;
  await newSignedInUser(page, "noinv", "Nina Noinvoice");
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}$`));
  await page.goto(`/orgs/${org}/settings/invoices`);
  await expect(page.getByTestId("invoices-empty")).toContainText("No invoices yet");
  await page.goto(`/orgs/${org}/settings/billing`);
  await expect(page.getByTestId("subscription-status")).toHaveText("Free");
  await expect(page.getByTestId("usage-forecast")).toHaveText("0 h");
});

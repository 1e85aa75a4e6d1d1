import { expect, test, type Page } from "@playwright/test";

import { newSignedInUser, uniqueSuffix } from "./helpers";

/*
 * Status codes as a client (a crawler, a monitor, curl) sees them, not only the
 * screen: a not-found answers 404 and a former org name a real redirect, decided
 * before anything streams.
 */
const ORG_PAGES = [
  "",
  "/members",
  "/invitations",
  "/activity",
  "/apps",
  "/secrets",
  "/settings",
  "/settings/api",
  "/settings/billing",
  "/settings/invoices",
  "/settings/plan",
];

async function createOrg(page: Page, name: string) {
  await page.getByLabel("Organization name").fill(name);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${name}$`));
}

test("another user's organization answers 404 on every org page; a member gets 200", async ({ page, browser }) => {
  const org = `status-${uniqueSuffix()}`;
  await newSignedInUser(page, "status-owner");
  await createOrg(page, org);
  for (const path of ORG_PAGES) {
    const response = await page.request.get(`/orgs/${org}${path}`, { maxRedirects: 0 });
    expect(response.status(), `member: /orgs/${org}${path}`).toBe(200);
  }

  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  await newSignedInUser(stranger, "status-stranger");
  for (const path of ORG_PAGES) {
    const response = await stranger.request.get(`/orgs/${org}${path}`, { maxRedirects: 0 });
    expect(response.status(), `stranger: /orgs/${org}${path}`).toBe(404);
    expect(await response.text()).not.toContain(`${org}</h1>`);
  }
  // An org that does not exist at all answers the same.
  const missing = await stranger.request.get(`/orgs/no-such-org-${uniqueSuffix()}/members`, { maxRedirects: 0 });
  expect(missing.status()).toBe(404);
  await strangerContext.close();
});

test("a former organization name answers a redirect status to the new name, keeping the page", async ({ page }) => {
  const suffix = uniqueSuffix();
  const before = `old-${suffix}`;
  const after = `new-${suffix}`;
  await newSignedInUser(page, "status-rename");
  await createOrg(page, before);
  await page.goto(`/orgs/${before}/settings`);
  await page.getByLabel("Organization name").fill(after);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${after}/settings$`));

  for (const path of ORG_PAGES) {
    const response = await page.request.get(`/orgs/${before}${path}`, { maxRedirects: 0 });
    expect([307, 308], `/orgs/${before}${path}`).toContain(response.status());
    expect(new URL(response.headers().location!, "http://x").pathname).toBe(`/orgs/${after}${path}`);
  }
});

test("an unknown invitation link and an unknown checkout answer 404", async ({ page }) => {
  const invitation = await page.request.get(`/invitations/not-a-real-token-${uniqueSuffix()}`, { maxRedirects: 0 });
  expect(invitation.status()).toBe(404);
  // The page still says what happened, in words.
  await page.goto(`/invitations/not-a-real-token-${uniqueSuffix()}`);
  await expect(page.getByRole("heading", { name: "This invitation link is not valid" })).toBeVisible();

  await newSignedInUser(page, "status-checkout");
  for (const id of ["not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
    const response = await page.request.get(`/checkout/${id}`, { maxRedirects: 0 });
    expect(response.status(), `/checkout/${id}`).toBe(404);
  }
});

test("a form sent over the size limit gets a clear message, not an error page", async ({ page }) => {
  const org = `big-${uniqueSuffix()}`;
  await newSignedInUser(page, "status-big");
  await createOrg(page, org);
  await page.goto(`/orgs/${org}/secrets`);
  await page.getByLabel("Secret name").fill("HUGE");
  await page.getByLabel("Value").fill("x".repeat(1100 * 1024));
  const answer = page.waitForResponse(
    (response) => response.request().method() === "POST" && response.url().includes(`/orgs/${org}/secrets`),
  );
  await page.getByRole("button", { name: "Create secret" }).click();
  expect((await answer).status()).toBe(413);
  await expect(page.getByTestId("form-error")).toContainText("too large");
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toHaveCount(0);
  // Positive control: a normal value still goes through.
  await page.getByLabel("Secret name").fill("SMALL");
  await page.getByLabel("Value").fill("small value");
  await page.getByRole("button", { name: "Create secret" }).click();
  await expect(page.getByText("The secret SMALL was created")).toBeVisible();
});

test("a signed-out visitor of an org page is sent to sign in, and back to that page after", async ({ page }) => {
  const response = await page.request.get("/orgs/somewhere/settings/api", { maxRedirects: 0 });
  expect(response.status()).toBe(307);
  expect(response.headers()["location"]).toBe(`/sign-in?returnTo=${encodeURIComponent("/orgs/somewhere/settings/api")}`);
  // Positive control through the browser: signing in lands on the page asked for.
  const { email, password } = await newSignedInUser(page, "return", "Rita Return");
  const org = `return-${uniqueSuffix()}`;
  await createOrg(page, org);
  await page.context().clearCookies();
  await page.goto(`/orgs/${org}/members`);
  await expect(page).toHaveURL(new RegExp(`/sign-in\\?returnTo=${encodeURIComponent(`/orgs/${org}/members`)}`));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}/members$`));
});

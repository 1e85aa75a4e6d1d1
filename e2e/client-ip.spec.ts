import { expect, test } from "@playwright/test";

import { newSignedInUser, uniqueSuffix } from "./helpers";

test("a client's forwarded headers are not its address: activity records the socket's peer", async ({ page }) => {
  // Everything a client could send to pick its address, on every request of this page.
  await page.setExtraHTTPHeaders({
    "x-forwarded-for": "6.6.6.6",
    "x-real-ip": "6.6.6.6",
    "x-console-socket-address": "00000000000000000000000000000000 6.6.6.6",
  });
  await newSignedInUser(page, "ip", "Ivy Address");
  const org = `ip-${uniqueSuffix()}`;
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}$`));

  const response = await page.request.get(`/orgs/${org}/activity/export`);
  expect(response.status()).toBe(200);
  const csv = await response.text();
  const created = csv.split("\r\n").find((line) => line.includes("organization.created"));
  expect(created).toBeDefined();
  expect(csv).not.toContain("6.6.6.6");
  // The app listens on 127.0.0.1 (playwright.config.ts): that is the peer.
  expect(created).toContain(",127.0.0.1,");
});

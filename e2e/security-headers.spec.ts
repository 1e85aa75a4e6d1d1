import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIResponse, type Page } from "@playwright/test";

import { newSignedInUser, uniqueSuffix } from "./helpers";

/*
 * Every answer carries the security headers: a page (signed in and signed out)
 * and an API route. Pages get a Content-Security-Policy with a fresh nonce and
 * refuse to be framed, which is what stops a click on an invisible framed button.
 */
function expectCommonHeaders(response: APIResponse, what: string) {
  const headers = response.headers();
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"], what).toContain("camera=()");
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["content-security-policy"], what).toContain("frame-ancestors 'none'");
  // Plain http here: no HSTS (it is sent when the request came over https).
  expect(headers["strict-transport-security"], what).toBeUndefined();
}

function pageNonce(response: APIResponse): string {
  const csp = response.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
  expect(nonce, `a nonce in ${csp}`).toBeTruthy();
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'self'");
  expect(csp).not.toContain("'unsafe-eval'");
  return nonce!;
}

function collectCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test("the sign-in page, a console page and API routes carry the security headers", async ({ page }) => {
  const signIn = await page.request.get("/sign-in");
  expect(signIn.status()).toBe(200);
  expectCommonHeaders(signIn, "/sign-in");
  const nonce = pageNonce(signIn);
  // Next's own scripts carry the nonce; a second request gets another one.
  expect(await signIn.text()).toContain(`nonce="${nonce}"`);
  expect(pageNonce(await page.request.get("/sign-in"))).not.toBe(nonce);

  for (const path of ["/api/health", "/api/v1/organization", "/api/v1/openapi.json"]) {
    expectCommonHeaders(await page.request.get(path), path);
  }

  const violations = collectCspViolations(page);
  const org = `headers-${uniqueSuffix()}`;
  await newSignedInUser(page, "headers");
  await page.getByLabel("Organization name").fill(org);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page).toHaveURL(new RegExp(`/orgs/${org}$`));
  const consolePage = await page.request.get(`/orgs/${org}/members`);
  expect(consolePage.status()).toBe(200);
  expectCommonHeaders(consolePage, "console page");
  pageNonce(consolePage);
  // The pages work under the policy: client navigation, a dialog, a form.
  await page.getByRole("link", { name: "Members", exact: true }).click();
  await page.getByRole("button", { name: "Switch organization" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: org, exact: true })).toBeVisible();
  expect(violations).toEqual([]);
});

test("invitation and reset links send no referrer; HSTS over https", async ({ page }) => {
  for (const path of [
    `/invitations/some-token-${uniqueSuffix()}`,
    `/reset-password/some-token-${uniqueSuffix()}`,
    `/verify-email/some-token-${uniqueSuffix()}`,
    `/confirm-email/some-token-${uniqueSuffix()}`,
  ]) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.headers()["referrer-policy"], path).toBe("no-referrer");
  }
  const overHttps = await page.request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
  expect(overHttps.headers()["strict-transport-security"]).toMatch(/^max-age=\d{7,}; includeSubDomains$/);
});

test("another site cannot frame the console", async ({ page, baseURL }) => {
  // A page of another origin (another port on this machine, so the browser's
  // private-network rules do not get in the way) that frames the console, as a
  // clickjacking page does; as a control it also frames a page of its own.
  const attacker = createServer((request, response) => {
    response.setHeader("content-type", "text/html");
    if (request.url === "/inner") return response.end("<button>Inner button</button>");
    response.end(
      `<iframe id="control" src="/inner"></iframe><iframe id="victim" src="${baseURL}/sign-in" width="800" height="600"></iframe>`,
    );
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = attacker.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect(page.frameLocator("#control").getByRole("button", { name: "Inner button" })).toBeVisible();
    await page.waitForTimeout(2000);
    await expect(page.frameLocator("#victim").getByRole("button", { name: "Sign in" })).toHaveCount(0);
  } finally {
    await new Promise((resolve) => attacker.close(resolve));
  }
});

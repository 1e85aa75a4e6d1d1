import { expect, request, test } from "@playwright/test";

import { linkFromLatestEmail, newSignedInUser, uniqueEmail, uniqueSuffix } from "./helpers";

test("Bob's API token follows his membership: works, stops when removed, works again when he rejoins", async ({
  page: alice,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const acme = `acme-${uniqueSuffix()}`;
  await newSignedInUser(alice, "alice", "Alice Admin");
  await alice.getByLabel("Organization name").fill(acme);
  await alice.getByRole("button", { name: "Create organization" }).click();
  await expect(alice).toHaveURL(new RegExp(`/orgs/${acme}$`));

  // Bob joins acme through an invitation.
  const bob = uniqueEmail("bob");
  const invite = async () => {
    await alice.goto(`/orgs/${acme}/members`);
    await alice.getByLabel("Email addresses").fill(bob);
    await alice.getByRole("button", { name: "Invite", exact: true }).click();
    await expect(alice.getByText(`Invitation sent to ${bob}`)).toBeVisible();
    return linkFromLatestEmail(alice, bob, /invited to join/);
  };
  const bobContext = await browser.newContext();
  const bobPage = await bobContext.newPage();
  await bobPage.goto(await invite());
  await bobPage.getByRole("link", { name: "Sign up to join" }).click();
  await bobPage.getByLabel("Name").fill("Bob Builder");
  await bobPage.getByLabel("Password").fill("bob's long passphrase 42");
  await bobPage.getByRole("button", { name: "Create account" }).click();
  await bobPage.getByRole("button", { name: `Join ${acme}` }).click();
  await expect(bobPage).toHaveURL(new RegExp(`/orgs/${acme}$`));

  // Bob creates a token; its secret is shown once.
  await bobPage.goto(`/orgs/${acme}/settings/api`);
  await bobPage.getByLabel("Token name").fill("deploy-bot");
  await bobPage.getByRole("button", { name: "Create token" }).click();
  const token = (await bobPage.getByTestId("new-token-value").textContent())!.trim();
  expect(token).toMatch(/^oc_[0-9A-Za-z]{43}$/);

  // A client with no cookies at all, like curl.
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
  const listed = await api.get("/api/v1/apps");
  expect(listed.status()).toBe(200);
  expect(await listed.json()).toEqual({ data: [] });
  const created = await api.post("/api/v1/apps", { data: { name: "from-api" } });
  expect(created.status()).toBe(201);

  // Visible in the UI and attributed to the token in the activity stream.
  await bobPage.goto(`/orgs/${acme}/apps`);
  await expect(bobPage.getByTestId("app-row")).toContainText("from-api");
  await bobPage.goto(`/orgs/${acme}/activity`);
  await expect(bobPage.getByTestId("activity-sentence").first()).toHaveText("Created an app using API token deploy-bot");

  // Alice removes Bob: the same call answers 401 and the token shows inactive.
  await alice.goto(`/orgs/${acme}/members`);
  await alice.getByRole("button", { name: "Remove Bob Builder" }).click();
  await alice
    .getByRole("dialog")
    .getByLabel(/to confirm/)
    .fill(acme);
  await alice.getByRole("dialog").getByRole("button", { name: "Remove member" }).click();
  await expect(alice.getByText(`Bob Builder was removed from the organization ${acme}`)).toBeVisible();
  const refused = await api.get("/api/v1/apps");
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe("unauthorized");
  await alice.goto(`/orgs/${acme}/settings/api`);
  await expect(alice.getByTestId("token-row").filter({ hasText: "deploy-bot" }).getByTestId("token-status")).toHaveText(
    "Inactive — its owner is no longer a member",
  );
  // A token is never a session: pages ignore it.
  const asPage = await api.get(`/orgs/${acme}`, { maxRedirects: 0 });
  expect(asPage.status()).toBe(307);

  // Alice invites Bob again; he joins; the same token works again.
  await bobPage.goto(await invite());
  await bobPage.getByRole("button", { name: `Join ${acme}` }).click();
  await expect(bobPage).toHaveURL(new RegExp(`/orgs/${acme}$`));
  const again = await api.get("/api/v1/apps");
  expect(again.status()).toBe(200);
  expect((await again.json()).data.map((app: { name: string }) => app.name)).toEqual(["from-api"]);
  await api.dispose();
  await bobContext.close();
});

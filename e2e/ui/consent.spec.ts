import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { OktaSimulator } from "../support/okta-sim";
import { MEMBER, screenshot, signIn } from "../support/people";
import { scimFixtures, SCIM_OWNER_PASSWORD } from "../support/scim";

// The consent screen in a real browser: Okta's redirect lands here, the admin decides, the browser goes back to Okta.
// Okta's callback host is not reachable from here, so the test answers it and records where the browser went.

async function captureCallback(page: Page): Promise<() => URL> {
  let landed: URL | undefined;
  await page.route("https://system-admin.okta.com/**", async (route) => {
    landed = new URL(route.request().url());
    await route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Okta callback</h1>" });
  });
  return () => {
    if (!landed) throw new Error("the browser did not come back to Okta");
    return landed;
  };
}

test("an Owner signs in on the way, sees the consent screen and clicks Authorize & Install", async ({ page, request }) => {
  const f = scimFixtures();
  const okta = new OktaSimulator(request);
  const callback = await captureCallback(page);
  await signIn(page, { email: f.oauth.ownerEmail, password: SCIM_OWNER_PASSWORD }, okta.authorizePath());
  await expect(page.getByRole("heading", { name: "Okta wants to provision your organization" })).toBeVisible();
  await expect(page.getByText(`Signed in as ${f.oauth.ownerEmail}`)).toBeVisible();
  const org = page.getByRole("radio", { name: /SCIM oauth/ });
  await expect(org).toBeChecked();
  await expect(page.getByText("Create, update, deactivate and delete the organization's users and groups")).toBeVisible();
  await screenshot(page, "consent");
  await page.getByRole("button", { name: "Authorize & Install" }).click();
  await expect(page.getByRole("heading", { name: "Okta callback" })).toBeVisible();
  const back = callback();
  expect(back.searchParams.get("state")).toBe(okta.state);
  const tokens = await (await okta.exchange(back.searchParams.get("code")!)).json();
  expect(tokens.access_token).toMatch(/^at_/);
});

test("Cancel goes back to Okta with access_denied", async ({ page, request }) => {
  const f = scimFixtures();
  const okta = new OktaSimulator(request);
  const callback = await captureCallback(page);
  await signIn(page, { email: f.oauth.ownerEmail, password: SCIM_OWNER_PASSWORD }, okta.authorizePath());
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("heading", { name: "Okta callback" })).toBeVisible();
  expect(callback().searchParams.get("error")).toBe("access_denied");
});

test("a Member sees why they cannot authorize", async ({ page, request }) => {
  const okta = new OktaSimulator(request);
  await signIn(page, MEMBER, okta.authorizePath());
  await expect(page.getByText("You need to be an Owner or Admin to connect Okta.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Authorize & Install" })).toHaveCount(0);
  await screenshot(page, "consent-member");
});

test("an unregistered redirect URI is an error here, not a redirect", async ({ page, request }) => {
  const okta = new OktaSimulator(request);
  await page.goto(okta.authorizePath({ redirect_uri: "https://evil.example.com/callback" }));
  await expect(page.getByRole("heading", { name: "This redirect address is not allowed" })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/oauth/authorize");
});

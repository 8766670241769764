import type { APIRequestContext, Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { E2E_IDP_ISSUER } from "../support/env";
import { errorAlert, screenshot } from "../support/people";
import { scimClient, SCIM_OWNER_PASSWORD, unique, type ScimOrgFixture } from "../support/scim";
import { expectRefused, hasSession, signInAtIdp, ssoFixtures, SSO_MEMBER_PASSWORD } from "../support/sso";

// Single sign-on through a real OpenID Provider (oidc-provider, e2e/support/oidc-idp.mts) playing each org's Okta.
// People exist only through SCIM (or by hand); the SCIM lifecycle decides who gets in.
const f = ssoFixtures();
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

async function provision(request: APIRequestContext, org: ScimOrgFixture, email: string) {
  const res = await scimClient(request, org).post("/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: email,
    name: { givenName: "Pat", familyName: "Doe" },
    emails: [{ value: email, primary: true, type: "work" }],
    active: true,
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id as string;
}
const setActive = (request: APIRequestContext, org: ScimOrgFixture, id: string, active: boolean) =>
  scimClient(request, org).patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active } }] });

/** Continue with SSO on the sign-in page, by work email. */
async function continueWithSso(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Continue with SSO" }).click();
  await page.getByLabel("Work email").fill(email);
  await page.getByRole("button", { name: "Continue", exact: true }).click();
}

async function expect403(page: Page) {
  expect((await page.request.get(page.url())).status()).toBe(403);
}

test("SP-initiated by email: a provisioned Member lands on My access, each grant explained, and deactivation over SCIM ends the session at once", async ({
  page,
  request,
}) => {
  const email = `${unique("alice")}@example.org`;
  const id = await provision(request, f.main, email);
  const added = await scimClient(request, f.main).patch(`/Groups/${f.main.groupId}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: "add", path: "members", value: [{ value: id }] }],
  });
  expect(added.status()).toBeLessThan(300);

  await continueWithSso(page, email);
  await signInAtIdp(page, email);
  await expect(page).toHaveURL(/\/my-access$/);
  await expect(page.getByRole("heading", { name: "My access" })).toBeVisible();
  const card = page.getByRole("region", { name: f.main.name });
  await expect(card.getByTestId("my-role-reason")).toHaveText("Member — from group Engineering");
  await expect(card.getByRole("list", { name: `Stack roles in ${f.main.name}` })).toHaveText(
    "Developer on Developer stack — from group Engineering",
  );
  await expect(card.getByText(/ask your IT admin to add you to the right group/)).toBeVisible();
  await expect(page.getByText("through your organization's identity provider")).toBeVisible();
  expect(await hasSession(page)).toBe(true);
  await screenshot(page, "my-access");

  // Org Admin is not for Members: 403 with the explanation.
  await page.goto("/org-admin/info");
  await expect(page.getByRole("heading", { name: "You need to be an Owner or Admin" })).toBeVisible();
  await expect403(page);

  // The IdP deactivates her: her very next request has no session.
  expect((await setActive(request, f.main, id, false)).status()).toBe(200);
  await page.goto("/my-access");
  await expect(page).toHaveURL(/\/sign-in/);
  // Reactivated: she may sign in again, but the old session stays dead (a new membership, a new epoch).
  expect((await setActive(request, f.main, id, true)).status()).toBe(200);
  await page.goto("/my-access");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("the org's start URL (Initiate login URI) signs a provisioned person in; a linked sub keeps working after an email change, and another sub for the same account is refused", async ({
  page,
  request,
}) => {
  const email = `${unique("bea")}@example.org`;
  await provision(request, f.main, email);
  const sub = unique("sub");
  await page.goto(`/sign-in/sso/${f.main.orgId}`);
  await signInAtIdp(page, `${email};sub=${sub}`);
  await expect(page).toHaveURL(/\/my-access$/);
  await page.context().clearCookies();

  // The IdP now sends another email for the same sub (unverified, even): matched on sub.
  await page.goto(`/sign-in/sso/${f.main.orgId}`);
  await signInAtIdp(page, `renamed-${email};sub=${sub};unverified`);
  await expect(page).toHaveURL(/\/my-access$/);
  await expect(page.getByText(`Signed in as ${email}`)).toBeVisible();
  await page.context().clearCookies();

  // Another identity at the IdP claiming her email: refused, no session.
  await page.goto(`/sign-in/sso/${f.main.orgId}`);
  await signInAtIdp(page, `${email};sub=${unique("impostor")}`);
  await expectRefused(page, "This account is linked to another identity");
  await expect403(page);
  expect(await hasSession(page)).toBe(false);
});

test("refused: deprovisioned, never provisioned, unverified email — each says why, answers 403, and writes nothing", async ({
  page,
  request,
}) => {
  const scim = scimClient(request, f.main);
  // Deprovisioned.
  const bob = `${unique("bob")}@example.org`;
  const bobId = await provision(request, f.main, bob);
  expect((await setActive(request, f.main, bobId, false)).status()).toBe(200);
  await page.goto(`/sign-in/sso/${f.main.orgId}`);
  await signInAtIdp(page, bob);
  await expectRefused(page, "Your access was removed");
  await expect(page.getByText(/deactivated by your identity provider/)).toBeVisible();
  await expect403(page);
  expect(await hasSession(page)).toBe(false);
  await screenshot(page, "sso-refused-deprovisioned");
  // Still exactly as the IdP left it: inactive, and the IdP's reactivation works.
  expect((await (await scim.get(`/Users/${bobId}`)).json()).active).toBe(false);

  // Never provisioned: refused, and no ghost rows — the IdP's first POST for this person is a clean 201.
  const carol = `${unique("carol")}@example.org`;
  await continueWithSso(page, carol);
  await expect(errorAlert(page)).toContainText("No organization with single sign-on was found");
  await page.goto(`/sign-in/sso/${f.main.orgId}`);
  await signInAtIdp(page, carol);
  await expectRefused(page, `You don't have access to ${f.main.name}`);
  await expect403(page);
  const search = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${carol}"`)}`);
  expect((await search.json()).totalResults).toBe(0);
  await provision(request, f.main, carol);

  // Unverified email (the org does not trust its IdP's emails).
  const dave = `${unique("dave")}@example.org`;
  await provision(request, f.main, dave);
  await page.goto(`/sign-in/sso/${f.main.orgId}`);
  await signInAtIdp(page, `${dave};unverified`);
  await expectRefused(page, "Your email address is not verified");
  expect(await hasSession(page)).toBe(false);
});

test("refused: a tampered state, and an ID token from another issuer than the configured one", async ({ page, request }) => {
  const email = `${unique("erin")}@example.org`;
  await provision(request, f.main, email);
  // The state is altered in transit: the IdP sends the code back with a state this browser never sent.
  await page.route(/127\.0\.0\.1:\d+\/auth\?/, (route) => {
    const url = new URL(route.request().url());
    url.searchParams.set("state", "tampered-state");
    return route.continue({ url: url.toString() });
  });
  await page.goto(`/sign-in/sso/${f.main.orgId}`);
  await signInAtIdp(page, email);
  await page.unrouteAll();
  await expectRefused(page, "Single sign-on could not be completed");
  expect(await hasSession(page)).toBe(false);

  // The org configured the IdP under another name than the issuer its tokens carry.
  const wrongUser = `${unique("wes")}@example.org`;
  await provision(request, f.wrong, wrongUser);
  await page.goto(`/sign-in/sso/${f.wrong.orgId}`);
  await signInAtIdp(page, wrongUser);
  await expectRefused(page, "The identity provider could not be trusted");
  await expect403(page);
  expect(await hasSession(page)).toBe(false);
});

test("a session from org X's IdP opens org X only, even for a person who is an Admin of org Y", async ({ page, request }) => {
  await provision(request, f.main, f.other.crossEmail);
  await continueWithSso(page, f.other.crossEmail);
  // Two orgs with SSO: a chooser.
  await expect(page.getByText("Choose the organization to sign in to:")).toBeVisible();
  await screenshot(page, "sso-chooser");
  await page.getByRole("button", { name: new RegExp(f.main.name) }).click();
  await signInAtIdp(page, f.other.crossEmail);
  await expect(page).toHaveURL(/\/my-access$/);
  await expect(page.getByRole("region", { name: f.main.name })).toBeVisible();
  await expect(page.getByRole("region", { name: f.other.name })).toHaveCount(0);
  const others = page.getByRole("list", { name: "Organizations that need another sign-in" });
  await expect(others.getByRole("link", { name: `Sign in to ${f.other.name}` })).toHaveAttribute("href", `/sign-in/sso/${f.other.orgId}`);
  // Choosing org Y by cookie changes nothing: Org Admin is refused (a Member in X), and Y is never offered.
  await page.context().addCookies([{ name: "portal-org", value: f.other.orgId, url: page.url() }]);
  await page.goto("/org-admin/sso");
  await expect(page.getByRole("heading", { name: "You need to be an Owner or Admin" })).toBeVisible();
  await expect(page.getByText(f.main.name).first()).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Organization" })).toHaveCount(0);
  await expect403(page);

  // Signing in through Y's own IdP opens Y — as its Admin.
  await page.goto(`/sign-in/sso/${f.other.orgId}`);
  await signInAtIdp(page, f.other.crossEmail);
  await expect(page).toHaveURL(/\/org-admin\/info$/);
  await expect(page.getByRole("navigation", { name: "Org Admin" })).toBeVisible();
});

test("Require SSO refuses a Member's password but not the Owner's", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(f.required.memberEmail);
  await page.getByLabel("Password").fill(SSO_MEMBER_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(errorAlert(page)).toHaveText("Your organization requires single sign-on: use Continue with SSO below.");
  expect(await hasSession(page)).toBe(false);

  await page.getByLabel("Email").fill(f.required.ownerEmail);
  await page.getByLabel("Password").fill(SCIM_OWNER_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/org-admin\/info$/);
});

test("the Owner sets SSO up on the Single sign-on page, runs a Test sign-in that shows the claims, and requires SSO", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(f.ui.ownerEmail);
  await page.getByLabel("Password").fill(SCIM_OWNER_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/org-admin\/info$/);
  await page.getByRole("navigation", { name: "Org Admin" }).getByRole("link", { name: "Single sign-on" }).click();
  await expect(page.getByRole("heading", { name: "Single sign-on" })).toBeVisible();
  await expect(page.getByTestId("sso-status")).toContainText("Not set up");
  await expect(page.getByTestId("sso-redirect-uri")).toHaveText(new RegExp(`/api/auth/callback/sso-${f.ui.orgId}$`));
  await expect(page.getByTestId("sso-initiate-login-uri")).toHaveText(new RegExp(`/sign-in/sso/${f.ui.orgId}$`));
  await expect(page.getByRole("button", { name: "Copy Redirect URI" })).toBeVisible();

  // A plain-http issuer elsewhere than localhost is refused with a sentence.
  await page.getByLabel("Issuer URL").fill("http://idp.example.com");
  await page.getByLabel("Client ID").fill(`org-${f.ui.orgId}`);
  await page.getByLabel("Client secret").fill(`secret-org-${f.ui.orgId}`);
  await page.getByRole("button", { name: "Save connection" }).click();
  await expect(errorAlert(page)).toContainText("must be an https:// URL");

  // The refused save kept what was typed (but the secret).
  await expect(page.getByLabel("Client ID")).toHaveValue(`org-${f.ui.orgId}`);
  await page.getByLabel("Issuer URL").fill(E2E_IDP_ISSUER);
  await page.getByLabel("Client secret").fill("a-wrong-secret");
  await page.getByRole("button", { name: "Save connection" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(page.getByTestId("sso-status")).toContainText("Never tested");
  // Require SSO waits for a working connection.
  await expect(page.getByRole("switch", { name: "Require SSO" })).toBeDisabled();
  await screenshot(page, "sso-page-configured");

  // A wrong secret: the IdP refuses the code exchange; the page says so and the status is Failing.
  await page.getByRole("button", { name: "Test sign-in" }).click();
  await signInAtIdp(page, "tester@example.org;sub=tester-1");
  await expect(page).toHaveURL(/\/org-admin\/sso\?test=failed/);
  await expect(errorAlert(page).filter({ hasText: "Test sign-in failed" })).toContainText("invalid_client");
  await expect(page.getByTestId("sso-status")).toContainText("Failing");

  await page.getByLabel("Client secret").fill(`secret-org-${f.ui.orgId}`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(page.getByTestId("sso-status")).toContainText("Never tested");

  await page.getByRole("button", { name: "Test sign-in" }).click();
  await signInAtIdp(page, `tester@example.org;sub=tester-1`);
  await expect(page).toHaveURL(/\/org-admin\/sso\?test=ok$/);
  await expect(page.getByTestId("sso-status")).toContainText("Working");
  const claims = page.getByRole("table", { name: "Claims received" });
  await expect(claims.getByRole("row", { name: /^email tester@example\.org$/ })).toBeVisible();
  await expect(claims.getByRole("row", { name: /^sub tester-1$/ })).toBeVisible();
  await expect(page.getByTestId("sso-test-verdict")).toContainText("would be refused");
  // The admin's own password session is untouched by the test.
  await expect(page.getByText(f.ui.ownerEmail)).toBeVisible();
  await screenshot(page, "sso-page-tested");

  await page.getByRole("switch", { name: "Require SSO" }).click();
  const dialog = page.getByRole("dialog", { name: "Require SSO" });
  await expect(dialog).toContainText("The Owner keeps password sign-in");
  await dialog.getByRole("button", { name: "Require SSO" }).click();
  await expect(page.getByRole("switch", { name: "Require SSO" })).toHaveAttribute("aria-checked", "true");
  // The secret is never shown again.
  await expect(page.getByLabel("Client secret")).toHaveValue("");
  expect(await page.content()).not.toContain(`secret-org-${f.ui.orgId}`);
});

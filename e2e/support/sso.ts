import { readFileSync } from "node:fs";
import { expect, type Page } from "@playwright/test";
import { E2E_IDP_PORT } from "./env";
import type { ScimOrgFixture } from "./scim";

/** Written by e2e/support/prepare.mts: orgs whose IdP is the suite's OpenID Provider (e2e/support/oidc-idp.mts). */
export const SSO_FIXTURES_FILE = "test-results/.scim/sso.json";
/** The password of the people prepare.mts adds by hand. */
export const SSO_MEMBER_PASSWORD = "sso-member-pass";

type Org = ScimOrgFixture & { name: string };
export type SsoFixtures = {
  /** SSO and SCIM on; group Engineering mapped to Member + Developer on Developer stack. */
  main: Org & { groupId: string };
  /** SSO and SCIM on; `crossEmail` is an Admin here, added by hand. */
  other: Org & { crossEmail: string };
  /** Require SSO on; `memberEmail` is a Member with a password. */
  required: Org & { memberEmail: string };
  /** Configured with the IdP under another host name than its issuer. */
  wrong: Org;
  /** No SSO yet: its Owner sets it up on the Single sign-on page. */
  ui: Org;
};

export function ssoFixtures(): SsoFixtures {
  return JSON.parse(readFileSync(SSO_FIXTURES_FILE, "utf8")) as SsoFixtures;
}

/**
 * Signs in at the suite's IdP: its login form takes `<email>[;sub=<sub>][;unverified]` (any password) and answers
 * the portal's callback at once (no consent page).
 */
export async function signInAtIdp(page: Page, login: string) {
  const form = page.locator("input[name=login]");
  await form.waitFor({ timeout: 15_000 });
  expect(new URL(page.url()).port).toBe(String(E2E_IDP_PORT)); // at the IdP (by either of its names)
  await form.fill(login);
  await page.locator("input[name=password]").fill("any-password");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

/** The session cookie next-auth sets (none after a refusal). */
export async function hasSession(page: Page): Promise<boolean> {
  return (await page.context().cookies()).some((c) => c.name.endsWith("next-auth.session-token"));
}

export async function expectRefused(page: Page, heading: RegExp | string) {
  await expect(page).toHaveURL(/\/sign-in\/sso\/refused/);
  await expect(page.getByRole("heading", { name: heading })).toBeVisible();
  await expect(page.getByText("You have not been signed in.")).toBeVisible();
}

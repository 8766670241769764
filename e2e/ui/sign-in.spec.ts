import { expect, test } from "../support/fixtures";
import { ADMIN, errorAlert, OWNER, screenshot, signIn } from "../support/people";

test.describe("sign-in", () => {
  test("a protected page sends a signed-out visitor to sign-in and back after signing in", async ({ page }) => {
    await page.goto("/org-admin/stacks");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
    await screenshot(page, "sign-in");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/org-admin\/stacks$/);
    await expect(page.getByRole("heading", { name: "Stacks", level: 1 })).toBeVisible();
  });

  test("the wrong password shows an error and does not sign in", async ({ page }) => {
    await signIn(page, { email: OWNER.email, password: "not-the-password" });
    await expect(errorAlert(page)).toHaveText("That email and password don't match an account.");
    await expect(page).toHaveURL(/\/sign-in/);
    await screenshot(page, "sign-in-error");
    await page.goto("/org-admin/info");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("an unknown email gets the same error", async ({ page }) => {
    await signIn(page, { email: "nobody-here@example.com", password: "whatever-pass" });
    await expect(errorAlert(page)).toHaveText("That email and password don't match an account.");
  });

  test("sign-out ends the session", async ({ page }) => {
    await signIn(page, OWNER, "/org-admin/info");
    await expect(page.getByRole("heading", { name: "Organization Info" })).toBeVisible();
    await page.waitForLoadState("networkidle"); // the button works once the page is hydrated
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/org-admin/info");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  });
});

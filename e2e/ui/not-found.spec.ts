import { expect, test } from "../support/fixtures";
import { OWNER_STATE } from "../support/env";
import { screenshot } from "../support/people";

// Addresses that do not exist: 404 with a page that says so and leads back — inside the Org Admin shell under
// /org-admin — and the favicon every browser asks for.
test.use({ storageState: OWNER_STATE });

test("an unknown Org Admin address answers 404 inside the shell, with the navigation and a way back", async ({ page }) => {
  const res = await page.goto("/org-admin/no-such-page/at-all");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Org Admin" })).toBeVisible();
  await screenshot(page, "not-found-org-admin");
  await page.getByRole("link", { name: "Back to Organization Info" }).click();
  await expect(page).toHaveURL(/\/org-admin\/info$/);
});

test("an unknown address outside Org Admin answers 404 with the app's page", async ({ page }) => {
  const res = await page.goto("/no-such-place");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to the start page" })).toHaveAttribute("href", "/");
});

test("the favicon is served (no 404 on every page)", async ({ request }) => {
  const res = await request.get("/favicon.ico");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  const icon = await request.get("/icon.svg");
  expect(icon.status()).toBe(200);
});

test("a provisioned user or a group that is not in the organization answers 404 with the way back to its list", async ({ page }) => {
  const missing = "00000000-0000-4000-8000-000000000000";
  for (const [path, back] of [
    [`/org-admin/scim/users/${missing}`, "Back to provisioned users"],
    [`/org-admin/scim/groups/${missing}`, "Back to groups"],
    ["/org-admin/scim/users/not-a-uuid", "Back to provisioned users"],
  ] as const) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByText("Not found", { exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: back })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Org Admin" })).toBeVisible();
  }
});

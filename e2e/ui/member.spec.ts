import { expect, test } from "../support/fixtures";
import { MEMBER, screenshot, signIn } from "../support/people";

test("a Member is refused every Org Admin page with a clear explanation", async ({ page }) => {
  await signIn(page, MEMBER, "/org-admin/info");
  await expect(page).toHaveURL(/\/org-admin\/info$/);
  const refusal = page.getByRole("heading", { name: "You need to be an Owner or Admin" });
  await expect(refusal).toBeVisible();
  await expect(page.getByText("You are a Member.")).toBeVisible();
  await expect(page.getByText("Organization ID")).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Org Admin" })).toHaveCount(0);
  await screenshot(page, "member-refused");
  for (const path of ["/org-admin/scim", "/org-admin/users", "/org-admin/stacks"]) {
    await page.goto(path);
    await expect(refusal).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
  }
  // The home page tells them the same, without an Org Admin button.
  await page.getByRole("link", { name: "Back to your organizations" }).click();
  await expect(page.getByRole("heading", { name: "Your organizations" })).toBeVisible();
  await expect(page.getByText("Org Admin is for Owners and Admins")).toBeVisible();
});

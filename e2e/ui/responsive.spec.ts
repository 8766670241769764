import { expect, test } from "../support/fixtures";
import { OWNER_STATE } from "../support/env";
import { screenshot } from "../support/people";

// Every Org Admin page at 800 px: nothing spills sideways (wide tables scroll inside their cards).
test.use({ storageState: OWNER_STATE, viewport: { width: 800, height: 900 } });

for (const path of [
  "/org-admin/info",
  "/org-admin/scim",
  "/org-admin/scim/mapping",
  "/org-admin/scim/users",
  "/org-admin/scim/groups",
  "/org-admin/scim/log",
  "/org-admin/members",
  "/org-admin/stacks",
  "/org-admin/audit",
]) {
  test(`${path} fits 800 px`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, `800px${path.replaceAll("/", "-")}`);
  });
}

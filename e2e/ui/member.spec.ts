import { expect, test } from "../support/fixtures";
import { MEMBER, screenshot, signIn } from "../support/people";

test("a Member lands on My access, and every Org Admin page refuses them with 403 and an explanation", async ({ page }) => {
  await signIn(page, MEMBER);
  await expect(page).toHaveURL(/\/my-access$/);
  await expect(page.getByRole("heading", { name: "My access" })).toBeVisible();
  const card = page.getByRole("region", { name: "Acme Corporation" });
  await expect(card.getByTestId("my-role-reason")).toHaveText("Given in the portal");
  await expect(card.getByText(/Ask .*\(Owner, owner@example\.com\)/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Org Admin" })).toHaveCount(0);

  await page.goto("/org-admin/info");
  const refusal = page.getByRole("heading", { name: "You need to be an Owner or Admin" });
  await expect(refusal).toBeVisible();
  await expect(page.getByText("You are a Member.")).toBeVisible();
  await expect(page.getByText("Organization ID")).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Org Admin" })).toHaveCount(0);
  await screenshot(page, "member-refused");
  for (const path of [
    "/org-admin/info",
    "/org-admin/scim",
    "/org-admin/members",
    "/org-admin/stacks",
    "/org-admin/sso",
    "/org-admin/audit",
  ]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(403);
    await expect(refusal).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
  }
  await page.getByRole("link", { name: "See your access" }).click();
  await expect(page).toHaveURL(/\/my-access$/);
});

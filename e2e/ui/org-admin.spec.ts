import { expect, test } from "../support/fixtures";
import { DEMO } from "@/db/seed";
import { OWNER_STATE } from "../support/env";
import { errorAlert, screenshot } from "../support/people";

test.use({ storageState: OWNER_STATE });

test.describe("Org Admin as the Owner", () => {
  test("Organization Info shows the org name and an Organization ID that the copy button copies", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto("/org-admin/info");
    await expect(page.getByRole("heading", { name: "Organization Info" })).toBeVisible();
    await expect(page.getByTestId("org-name")).toHaveText(DEMO.orgName);
    const orgId = (await page.getByTestId("org-id").textContent())?.trim() ?? "";
    expect(orgId).toMatch(/^blt[0-9a-f]{16}$/);
    await page.getByRole("button", { name: "Copy Organization ID" }).click();
    await expect(page.getByRole("button", { name: "Copy Organization ID" })).toContainText("Copied");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(orgId);
    await screenshot(page, "organization-info");
  });

  test("the navigation reaches SCIM, Members and Stacks", async ({ page }) => {
    await page.goto("/org-admin");
    await expect(page).toHaveURL(/\/org-admin\/info$/);
    const nav = page.getByRole("navigation", { name: "Org Admin" });
    await expect(nav.getByRole("link", { name: "Organization Info" })).toHaveAttribute("aria-current", "page");

    await nav.getByRole("link", { name: "SCIM" }).click();
    await expect(page.getByRole("heading", { name: "SCIM", level: 1 })).toBeVisible();
    const orgId = (await page.getByTestId("org-id").textContent())?.trim() ?? "";
    await expect(page.getByTestId("scim-base-url")).toHaveText(new RegExp(`/scim/v2\\.0/organizations/${orgId}$`));
    await expect(page.getByRole("button", { name: "Copy SCIM Base URL" })).toBeVisible();
    await screenshot(page, "scim");

    await nav.getByRole("link", { name: "Members" }).click();
    await expect(page.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
    const table = page.getByRole("table", { name: "Organization members" });
    for (const person of DEMO.people) {
      const row = table.getByRole("row").filter({ hasText: person.email });
      await expect(row).toContainText({ owner: "Owner", admin: "Admin", member: "Member" }[person.role]);
    }
    await screenshot(page, "members");
    await page.getByLabel("Search members").fill("mia");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(table.getByRole("row")).toHaveCount(2); // header + Mia
    await page.getByLabel("Search members").fill("zzz-nobody");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByText('No members match "zzz-nobody".')).toBeVisible();

    await nav.getByRole("link", { name: "Stacks" }).click();
    await expect(page.getByRole("heading", { name: "Stacks", level: 1 })).toBeVisible();
    for (const name of DEMO.stacks) {
      const roles = page.getByRole("list", { name: `Roles of ${name}` });
      await expect(roles).toContainText("Admin");
      await expect(roles).toContainText("Developer");
      await expect(roles).toContainText("Content Manager");
    }
  });

  test("creating a stack gives it the built-in roles; a duplicate name is refused", async ({ page }) => {
    const name = `E2E stack ${Date.now().toString(36)}`;
    await page.goto("/org-admin/stacks");
    await page.getByLabel("Stack name").fill(name);
    await page.getByRole("button", { name: "Create stack" }).click();
    await expect(page.getByText(`Created “${name}”`)).toBeVisible();
    await expect(page.getByRole("list", { name: `Roles of ${name}` })).toContainText("Content Manager");
    await screenshot(page, "stacks");
    await page.getByLabel("Stack name").fill(name.toUpperCase());
    await page.getByRole("button", { name: "Create stack" }).click();
    await expect(errorAlert(page)).toHaveText(`A stack named "${name.toUpperCase()}" already exists in this organization.`);

    // Custom roles: added beside the built-in ones, unique per stack ignoring case.
    await page.getByLabel(`New role for ${name}`).fill("Translator");
    await page.getByRole("button", { name: `Add role to ${name}` }).click();
    await expect(page.getByRole("list", { name: `Roles of ${name}` })).toContainText("Translator(custom)");
    await page.getByLabel(`New role for ${name}`).fill("translator");
    await page.getByRole("button", { name: `Add role to ${name}` }).click();
    await expect(page.getByRole("alert").filter({ hasText: 'This stack already has a role named "translator".' })).toBeVisible();
  });

  test("the org switcher moves between the organizations the account belongs to", async ({ page }) => {
    await page.goto("/org-admin/info");
    const switcher = page.getByRole("combobox", { name: "Organization" });
    await expect(switcher).toBeVisible();
    await switcher.selectOption({ label: "Globex Test Org (Owner)" });
    await expect(page.getByTestId("org-name")).toHaveText("Globex Test Org");
    await expect(page).toHaveURL(/\/org-admin\/info$/);
    await switcher.selectOption({ label: `${DEMO.orgName} (Owner)` });
    await expect(page.getByTestId("org-name")).toHaveText(DEMO.orgName);
  });
});

test.describe("list pages with absurd query strings", () => {
  test("?page= far past the end, or not a number, shows the list page instead of failing", async ({ page }) => {
    for (const path of ["/org-admin/scim/users", "/org-admin/scim/groups", "/org-admin/members"]) {
      for (const p of ["99999999999999999999", "1e400", "-5", "abc"]) {
        const res = await page.goto(`${path}?page=${p}`);
        expect(res?.status(), `${path}?page=${p}`).toBe(200);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      }
    }
  });
});

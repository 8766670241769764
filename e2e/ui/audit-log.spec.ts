import { readFileSync } from "node:fs";
import type { Download, Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { MEMBER, screenshot, signIn } from "../support/people";
import { SCIM_OWNER_PASSWORD, scimFixtures } from "../support/scim";

// Org Admin → Audit log, on an org of its own whose trail starts with nothing but the Owner's sign-in: the Owner
// turns SCIM on and off in the real UI, reads the events, filters them, and downloads both exports; a Member is
// refused the page and the export.
test.describe.configure({ mode: "serial" });

async function download(page: Page, name: string): Promise<{ file: Download; text: string }> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name }).click()]);
  return { file, text: readFileSync((await file.path())!, "utf8") };
}

test("the Owner's SCIM switch is in the Audit log, filterable and exportable as CSV and JSON", async ({ page }) => {
  const f = scimFixtures().audit;
  await signIn(page, { email: f.ownerEmail, password: SCIM_OWNER_PASSWORD }, "/org-admin");
  await page.goto("/org-admin/audit");
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  // The sign-in itself is the first event (a password sign-in is recorded in each org of the account).
  const first = page.getByRole("table", { name: "Audit events" }).locator("tbody tr");
  await expect(first).toHaveCount(1);
  await expect(first.first()).toContainText("Signed in with a password");
  await expect(first.first()).toContainText(f.ownerEmail);

  await page.goto("/org-admin/scim");
  const toggle = page.getByRole("switch", { name: "Enable SCIM" });
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.click();
  await page.getByRole("dialog", { name: "Enable SCIM" }).getByRole("button", { name: "Enable" }).click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await page.getByRole("dialog", { name: "Turn off SCIM" }).getByRole("button", { name: "Turn off" }).click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");

  await page.getByRole("navigation", { name: "Org Admin" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/org-admin\/audit$/);
  const rows = page.getByRole("table", { name: "Audit events" }).locator("tbody tr");
  await expect(rows).toHaveCount(3);
  // Newest first: off, then on, both by the Owner in Org Admin; then the sign-in.
  await expect(rows.nth(0)).toContainText("Turned SCIM off");
  await expect(rows.nth(1)).toContainText("Turned SCIM on");
  await expect(rows.nth(2)).toContainText("Signed in with a password");
  for (const what of ["Turned SCIM on", "Turned SCIM off"]) {
    const row = rows.filter({ hasText: what });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(f.ownerEmail);
    await expect(row).toContainText("Org Admin");
    await expect(row.locator("time")).toHaveAttribute("title", / UTC$/);
  }
  await screenshot(page, "audit-log");

  // Filter by action: only the matching row; the person list offers the Owner.
  await page.getByLabel("Action").selectOption({ label: "Turned SCIM on" });
  await expect(page.getByLabel("Person").locator("option", { hasText: f.ownerEmail })).toHaveCount(1);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=scim\.enabled/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Turned SCIM on");
  await screenshot(page, "audit-log-filtered");

  // The export carries the filters: the CSV of this view has the header and the one row.
  const filtered = await download(page, "Export CSV");
  expect(filtered.file.suggestedFilename()).toMatch(new RegExp(`^audit-${f.orgId}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const filteredLines = filtered.text.trimEnd().split("\r\n");
  expect(filteredLines[0]).toMatch(/^id,at,actor_kind,actor_email,/);
  expect(filteredLines.slice(1).map((l) => l.includes(",scim.enabled,Turned SCIM on,"))).toEqual([true]);

  // A person filter with nothing to show, then Reset.
  await page.getByLabel("Email contains").fill("nobody-here");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No events match these filters.")).toBeVisible();
  await screenshot(page, "audit-log-no-match");
  await page.getByRole("link", { name: "Reset the filters" }).click();
  await expect(page).toHaveURL(/\/org-admin\/audit$/);
  await expect(rows).toHaveCount(3);

  const csv = await download(page, "Export CSV");
  const lines = csv.text.trimEnd().split("\r\n");
  expect(lines).toHaveLength(4);
  expect(lines[1]).toContain(`,web,${f.ownerEmail},`);
  expect(lines[1]).toContain(",scim.disabled,Turned SCIM off,organization,");
  expect(lines[2]).toContain(",scim.enabled,Turned SCIM on,organization,");
  expect(lines[3]).toContain(`,password,${f.ownerEmail},`);

  const json = await download(page, "Export JSON");
  expect(json.file.suggestedFilename()).toMatch(new RegExp(`^audit-${f.orgId}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
  const events = JSON.parse(json.text) as { action: string; actor: { kind: string; email: string }; target: { id: string } | null }[];
  expect(events.map((e) => [e.action, e.actor.kind, e.actor.email, e.target?.id ?? null])).toEqual([
    ["scim.disabled", "web", f.ownerEmail, f.orgId],
    ["scim.enabled", "web", f.ownerEmail, f.orgId],
    ["sign_in.password", "password", f.ownerEmail, null],
  ]);
});

test("a Member is refused the Audit log and its export", async ({ page }) => {
  const f = scimFixtures().audit;
  await signIn(page, MEMBER);
  const res = await page.goto("/org-admin/audit");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You need to be an Owner or Admin" })).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
  for (const query of ["format=csv", "format=json", `format=csv&org=${f.orgId}`]) {
    const exported = await page.request.get(`/org-admin/audit/export?${query}`, { maxRedirects: 0 });
    expect(exported.status(), query).toBe(403);
    expect(exported.headers()["content-disposition"]).toBeUndefined();
  }
});

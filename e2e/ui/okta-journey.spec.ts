import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { OktaProvisioning, OktaSimulator } from "../support/okta-sim";
import { signIn } from "../support/people";
import { expectScimError, scimFixtures, SCIM_OWNER_PASSWORD } from "../support/scim";

// The setup guide, step by step, the way a customer meets it: the Owner in Chromium, Okta simulated over HTTP.
test.setTimeout(120_000);

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/journey/${name}.png`, fullPage: true });

test("the Okta setup guide, end to end", async ({ page, context, request }) => {
  const f = scimFixtures().journey;
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const okta = new OktaSimulator(request);
  const run = Date.now().toString(36);
  const people = [
    { email: `ana.${run}@acme.com`, given: "Ana", family: "Lima" },
    { email: `ben.${run}@acme.com`, given: "Ben", family: "Okafor" },
    { email: `cleo.${run}@acme.com`, given: "Cleo", family: "Marsh" },
  ];

  let orgId = "";
  let baseUrl = "";
  await test.step("1. the Owner reads the Organization ID, enables SCIM and copies the SCIM Base URL", async () => {
    await signIn(page, { email: f.ownerEmail, password: SCIM_OWNER_PASSWORD }, "/org-admin");
    await expect(page.getByRole("heading", { name: "Organization Info" })).toBeVisible();
    orgId = (await page.getByTestId("org-id").textContent())!.trim();
    expect(orgId).toBe(f.orgId);
    await page.getByRole("navigation", { name: "Org Admin" }).getByRole("link", { name: "SCIM" }).click();
    await page.waitForLoadState("networkidle");
    await page.getByRole("switch", { name: "Enable SCIM" }).click();
    await page.getByRole("dialog", { name: "Enable SCIM" }).getByRole("button", { name: "Enable" }).click();
    await expect(page.getByRole("switch", { name: "Enable SCIM" })).toHaveAttribute("aria-checked", "true");
    await page.getByRole("button", { name: "Copy SCIM Base URL" }).click();
    baseUrl = await page.evaluate(() => navigator.clipboard.readText());
    expect(baseUrl).toMatch(new RegExp(`/scim/v2\\.0/organizations/${orgId}$`));
    await shot(page, "1-scim-enabled");
  });

  let tokens: { access_token: string; refresh_token: string };
  await test.step("2. Authenticate with …: consent, Authorize & Install, code swap, Test API Credentials", async () => {
    let callback: URL | undefined;
    await page.route("https://system-admin.okta.com/**", async (route) => {
      callback = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Okta</h1>" });
    });
    await page.goto(okta.authorizePath());
    await expect(page.getByRole("heading", { name: "Okta wants to provision your organization" })).toBeVisible();
    await shot(page, "2-consent");
    await page.getByRole("button", { name: "Authorize & Install" }).click();
    await expect(page.getByRole("heading", { name: "Okta" })).toBeVisible();
    expect(callback!.searchParams.get("state")).toBe(okta.state);
    tokens = await (await okta.exchange(callback!.searchParams.get("code")!)).json();
    expect(tokens.access_token).toBeTruthy();
  });
  const scim = new OktaProvisioning(request, new URL(baseUrl).pathname, tokens!.access_token);
  await scim.testCredentials();

  const ids: string[] = [];
  let eng = "";
  let mkt = "";
  await test.step("3. Okta assigns three people, pushes two groups, renames one, updates a name, imports, refreshes", async () => {
    for (const p of people) ids.push(await scim.assign(p));
    eng = await scim.pushGroup(`Engineering ${run} (push)`);
    mkt = await scim.pushGroup(`Marketing ${run}`);
    await scim.setMembers(eng, `Engineering ${run} (push)`, [ids[0]!, ids[1]!]);
    await scim.setMembers(mkt, `Marketing ${run}`, [ids[2]!]);
    await scim.rename(eng, `Engineering ${run}`);
    await scim.updateName(ids[1]!, "Benjamin");
    expect((await scim.importAll("Users")).map((u) => u.id).sort()).toEqual([...ids].sort());
    expect((await scim.importAll("Groups")).map((g) => g.id).sort()).toEqual([eng, mkt].sort());
    const refreshed = await okta.token({ grant_type: "refresh_token", refresh_token: tokens.refresh_token });
    expect(refreshed.status()).toBe(200);
    tokens = await refreshed.json();
    scim.token = tokens.access_token;
    await scim.testCredentials();
  });

  await test.step("4. the Owner maps both groups, sees the preview, clicks Update; Users explains the access", async () => {
    const map = async (group: string, role: "Admin" | "Member", stack: string, stackRole: string, preview: string) => {
      await page.goto("/org-admin/scim/mapping");
      await page.getByRole("combobox", { name: "SCIM Group" }).fill(group);
      await page.getByRole("option", { name: new RegExp(group) }).click();
      await page.getByLabel("Organization Role").selectOption({ label: role });
      await page.getByLabel(stack).selectOption({ label: stackRole });
      await expect(page.getByTestId("mapping-preview")).toHaveText(preview);
      await page.getByRole("button", { name: "Update" }).click();
      await expect(page.getByTestId("mapping-saved")).toContainText(`Mapping for ${group} saved`);
      await expect(page.getByRole("button", { name: "Update" })).toBeDisabled();
    };
    await map(
      `Engineering ${run}`,
      "Admin",
      "Developer stack",
      "Developer",
      "2 of 2 members change: 2 become Admin; 2 gain Developer on Developer stack.",
    );
    await shot(page, "4-mapping");
    await map(
      `Marketing ${run}`,
      "Member",
      "Marketing site",
      "Content Manager",
      "1 of 1 member change: 1 gains Content Manager on Marketing site.",
    );
    await page.goto(`/org-admin/scim/users/${ids[1]}`);
    await expect(page.getByTestId("role-reason")).toHaveText(`Admin — from group Engineering ${run}`);
    await expect(page.getByRole("list", { name: "Stack roles and where they come from" })).toHaveText(
      `Developer on Developer stack — from group Engineering ${run}`,
    );
    await expect(page.getByRole("region", { name: "Profile from the identity provider" }).getByText("Benjamin Okafor")).toBeVisible();
    await shot(page, "4-user-explained");
  });

  await test.step("5. Okta deactivates a person: out of the org; reactivates: same id, access back; the log shows it all", async () => {
    const off = await scim.setActive(ids[0]!, false);
    expect(off.active).toBe(false);
    await page.goto(`/org-admin/scim/users/${ids[0]}`);
    await expect(page.getByText("Deactivated", { exact: true })).toBeVisible();
    await expect(page.getByTestId("role-reason")).toHaveText("Deactivated by the identity provider: removed from the organization");
    await expect(page.getByText("None", { exact: true }).first()).toBeVisible();
    // The Groups page and the mapping list count Engineering's one active member and say one more is inactive.
    await page.goto(`/org-admin/scim/groups?q=${run}`);
    const engRow = page.getByRole("row").filter({ hasText: `Engineering ${run}` });
    await expect(engRow.getByRole("cell").nth(1)).toHaveText("1and 1 inactive");
    await shot(page, "5-groups-inactive");
    await page.goto("/org-admin/scim/mapping");
    await page.getByRole("button", { name: `Remove mapping of Engineering ${run}` }).click();
    await expect(page.getByRole("dialog", { name: "Remove mapping" })).toContainText(
      `The 1 active member of Engineering ${run} loses what this mapping gives them at once, keeping only what their other groups grant. 1 more member is inactive and already without access.`,
    );
    await page.getByRole("dialog", { name: "Remove mapping" }).getByRole("button", { name: "Cancel" }).click();
    const on = await scim.setActive(ids[0]!, true);
    expect(on.id).toBe(ids[0]);
    await page.goto(`/org-admin/scim/users/${ids[0]}`);
    await expect(page.getByTestId("role-reason")).toHaveText(`Admin — from group Engineering ${run}`);
    await page.goto("/org-admin/scim/log");
    const events = page.getByRole("list", { name: "Provisioning events" });
    await expect(events.getByText(`Deactivated ${people[0]!.email} — removed from the organization`)).toBeVisible();
    await expect(events.getByText(`Reactivated ${people[0]!.email} — rejoined as Admin`)).toBeVisible();
    // Okta's OAuth app is named, not "Secret token".
    await events
      .getByTestId("log-entry")
      .filter({ hasText: `Reactivated ${people[0]!.email}` })
      .locator("summary")
      .click();
    await expect(events.getByText("(OAuth app)").first()).toBeVisible();
    await expect(events.getByText("access changed").first()).toBeVisible();
    expect(await events.locator("summary").count()).toBeGreaterThanOrEqual(20);
    await shot(page, "5-log");
  });

  await test.step("6. the Owner revokes the connected app: Okta's next call gets 401", async () => {
    await page.goto("/org-admin/scim");
    await page.waitForLoadState("networkidle");
    await page.getByRole("button", { name: "Revoke access for Okta" }).click();
    await page.getByRole("dialog", { name: "Revoke access" }).getByRole("button", { name: "Revoke access" }).click();
    await expect(page.getByRole("list", { name: "Connected apps" }).getByText("Revoked")).toBeVisible();
    await expectScimError(await scim.raw("GET", "/Users?startIndex=1&count=2"), 401);
    await shot(page, "6-revoked");
  });
});

import { expect, test } from "../support/fixtures";
import { OWNER_STATE } from "../support/env";
import { OktaSimulator } from "../support/okta-sim";
import { OWNER, screenshot } from "../support/people";
import { expectScimError, scimClient } from "../support/scim";

// Org Admin → SCIM as the demo Owner: the Enable SCIM switch, secret tokens, connected apps. One story, in order.
test.describe.configure({ mode: "serial" });
test.use({ storageState: OWNER_STATE });

let orgId = "";

test("Enable SCIM asks in a modal, then shows who enabled it", async ({ page }) => {
  await page.goto("/org-admin/scim");
  orgId = (await page.getByTestId("org-id").textContent())!.trim();
  const toggle = page.getByRole("switch", { name: "Enable SCIM" });
  if ((await toggle.getAttribute("aria-checked")) === "true") {
    await toggle.click();
    await page.getByRole("dialog", { name: "Turn off SCIM" }).getByRole("button", { name: "Turn off" }).click();
    await expect(toggle).toHaveAttribute("aria-checked", "false");
  }
  await toggle.click();
  const dialog = page.getByRole("dialog", { name: "Enable SCIM" });
  await expect(dialog).toBeVisible();
  await screenshot(page, "scim-enable-modal");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(toggle).toHaveAttribute("aria-checked", "false");

  await toggle.click();
  await dialog.getByRole("button", { name: "Enable" }).click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await expect(page.getByTestId("scim-status")).toContainText(`Enabled by ${OWNER.email}`);
});

test("the setup guides name Okta's button as Okta shows it; every URL in them wraps at its '/' and has a copy button", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/org-admin/scim");
  const okta = page.getByRole("list", { name: "Connect Okta" });
  const entra = page.getByRole("list", { name: "Connect Entra ID" });
  await expect(page.getByTestId("okta-guide-authenticate")).toContainText("Click Authenticate with your app's name in Okta");
  await expect(page.getByTestId("okta-guide-authenticate")).toContainText("Authorize & Install");
  await expect(okta).not.toContainText("Authenticate with …");
  const base = (await page.getByTestId("scim-base-url").textContent())!.trim();
  const appUrl = (await page.getByTestId("application-url").textContent())!.trim();

  // Every URL in the guides has its own copy button, and copies exactly itself.
  for (const [guide, urls] of [
    [okta, [appUrl, base]],
    [entra, [base]],
  ] as const) {
    const codes = guide.locator("code");
    await expect(codes).toHaveCount(urls.length);
    await expect(guide.getByRole("button", { name: /^Copy / })).toHaveCount(urls.length);
    for (let i = 0; i < urls.length; i++) {
      await expect(codes.nth(i)).toHaveText(urls[i]!);
      // Breaks only after a path separator: a <wbr> after each "/" of the path, never break-all.
      expect(
        await codes
          .nth(i)
          .evaluate((el) => el.innerHTML.split("<wbr>").every((part, j, all) => j === all.length - 1 || part.endsWith("/"))),
      ).toBe(true);
      await expect(codes.nth(i)).not.toHaveClass(/break-all/);
      await expect(codes.nth(i)).toHaveCSS("overflow-wrap", "break-word");
    }
  }
  await okta.getByRole("button", { name: "Copy the Okta guide's SCIM Base URL" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(base);
  await entra.getByRole("button", { name: "Copy the Entra ID guide's Tenant URL" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(base);
  await okta.getByRole("button", { name: "Copy the Okta guide's Application URL" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(appUrl);

  // On a phone the Base URL wraps at its separators: every line of it ends with "/" (or is its end).
  await page.setViewportSize({ width: 390, height: 900 });
  const lines = await page.getByTestId("okta-guide-base-url").evaluate((el) => {
    const range = document.createRange();
    const text = el.textContent ?? "";
    const tops: { top: number; end: number }[] = [];
    let offset = 0;
    for (const node of el.childNodes) {
      const len = node.textContent?.length ?? 0;
      for (let k = 0; k < len; k++) {
        range.setStart(node, k);
        range.setEnd(node, k + 1);
        const top = Math.round(range.getBoundingClientRect().top);
        if (!tops.length || tops.at(-1)!.top !== top) tops.push({ top, end: offset + k });
      }
      offset += len;
    }
    // The character before each line's first character ends the previous line.
    return { lineEnds: tops.slice(1).map((t) => text[t.end - 1]), lines: tops.length };
  });
  expect(lines.lines).toBeGreaterThan(1);
  expect(lines.lineEnds.every((c) => c === "/")).toBe(true);
  await page.getByRole("list", { name: "Connect Okta" }).scrollIntoViewIfNeeded();
  await screenshot(page, "scim-guides-phone");
});

test("Generate token shows it once with a copy button; it works until revoked", async ({ page, context, request }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto("/org-admin/scim");
  const name = `Entra ${Date.now().toString(36)}`;
  await page.getByLabel("Token name").fill(name);
  await page.getByLabel("Expires").selectOption({ label: "In 90 days" });
  await page.getByRole("button", { name: "Generate token" }).click();
  const shown = page.getByTestId("new-token");
  await expect(shown).toHaveText(/^scimsk_/);
  const token = (await shown.textContent())!.trim();
  await page.getByRole("button", { name: "Copy token" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Active");
  await expect(row).toContainText(`by ${OWNER.email}`);
  await screenshot(page, "scim-tokens");

  const scim = scimClient(request, { orgId, token, ownerEmail: OWNER.email });
  expect((await scim.get("/Users?count=1")).status()).toBe(200);

  // The token is shown once: a reload shows only its prefix.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await expect(page.getByText(token)).toHaveCount(0);

  await page.getByRole("button", { name: `Revoke token ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke token" });
  await expect(dialog).toContainText(name);
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("Revoked");
  await expectScimError(await scim.get("/Users?count=1"), 401);
});

test("a connected app is listed and Revoke access cuts it off at once", async ({ page, request }) => {
  const okta = new OktaSimulator(request);
  // The Owner authorizes Okta for this org (through the HTTP flow; the browser version is in consent.spec.ts).
  await okta.signIn(OWNER.email, OWNER.password);
  const code = (await okta.decide(await okta.consentForm(), "allow", orgId)).searchParams.get("code")!;
  const tokens = await (await okta.exchange(code)).json();
  const scim = scimClient(request, { orgId, token: tokens.access_token, ownerEmail: OWNER.email });
  expect((await scim.get("/Users?count=1")).status()).toBe(200);

  await page.goto("/org-admin/scim");
  const apps = page.getByRole("list", { name: "Connected apps" });
  await expect(apps).toContainText("Okta");
  await expect(apps).toContainText(`Authorized by ${OWNER.email}`);
  await screenshot(page, "scim");
  await page.getByRole("button", { name: "Revoke access for Okta" }).first().click();
  await page.getByRole("dialog", { name: "Revoke access" }).getByRole("button", { name: "Revoke access" }).click();
  await expect(apps.getByText("Revoked").first()).toBeVisible();
  await expectScimError(await scim.get("/Users?count=1"), 401);
  const refreshed = await okta.token({ grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  expect(await refreshed.json()).toMatchObject({ error: "invalid_grant" });
});

test("turning SCIM off explains what happens and refuses the IdP afterwards", async ({ page, request }) => {
  await page.goto("/org-admin/scim");
  await page.getByLabel("Token name").fill("After off");
  await page.getByRole("button", { name: "Generate token" }).click();
  const token = (await page.getByTestId("new-token").textContent())!.trim();
  const toggle = page.getByRole("switch", { name: "Enable SCIM" });
  await toggle.click();
  const dialog = page.getByRole("dialog", { name: "Turn off SCIM" });
  await expect(dialog).toContainText("Nothing is deleted");
  await dialog.getByRole("button", { name: "Turn off" }).click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expectScimError(await scimClient(request, { orgId, token, ownerEmail: OWNER.email }).get("/Users"), 403);
});

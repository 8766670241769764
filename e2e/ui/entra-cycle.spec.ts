import { corpusFiles, replay } from "../support/corpus";
import { expect, test } from "../support/fixtures";
import { signIn } from "../support/people";
import { scimFixtures, SCIM_OWNER_PASSWORD } from "../support/scim";

// Entra ID's provisioning cycle with a secret token the Owner generates and copies on the SCIM page.
test("an Entra ID cycle with a secret token from the SCIM page", async ({ page, context, request }) => {
  test.setTimeout(90_000);
  const f = scimFixtures().entra;
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, { email: f.ownerEmail, password: SCIM_OWNER_PASSWORD }, "/org-admin/scim");
  await page.getByLabel("Token name").fill("Entra ID");
  await page.getByRole("button", { name: "Generate token" }).click();
  await expect(page.getByTestId("new-token")).toHaveText(/^scimsk_/);
  await page.getByRole("button", { name: "Copy token" }).click();
  const token = await page.evaluate(() => navigator.clipboard.readText());
  for (const file of corpusFiles(["entra"])) await test.step(file, () => replay(request, { orgId: f.orgId, token }, file));
  await page.reload();
  // The token was used: its row shows when (the expiry defaults to one year, so "Never" could only be "Last used").
  await expect(page.getByRole("row").filter({ hasText: "Entra ID" }).first()).not.toContainText("Never");
});

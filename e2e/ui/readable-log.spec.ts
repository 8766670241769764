import { expect, test } from "../support/fixtures";
import { screenshot, signIn } from "../support/people";
import { scimClient, scimFixtures, SCIM_OWNER_PASSWORD, unique } from "../support/scim";

// The provisioning log in words: an IdP provisions people and a group membership through the SCIM API (the `log`
// fixture org, which only this spec uses, so the activity chart's counts are this spec's), then the Owner reads the
// log's sentences, a person's history with the group change, and the activity chart with its text summary.
test.describe.configure({ mode: "serial" });

test("the log reads in words with names, a person's page lists the group change, and the chart sums it up", async ({ page, request }) => {
  const f = scimFixtures().log;
  const scim = scimClient(request, f);
  const tag = unique("r");
  const alice = `alice-${tag}@acme.com`;
  const bob = `bob-${tag}@acme.com`;
  const user = async (userName: string) => {
    const res = await scim.post("/Users", {
      userName,
      name: { givenName: "A", familyName: tag },
      emails: [{ value: userName, primary: true }],
    });
    expect(res.status()).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const aliceId = await user(alice);
  const bobId = await user(bob);
  expect((await scim.post("/Users", { userName: alice.toUpperCase() })).status()).toBe(409);
  const group = (await (await scim.post("/Groups", { displayName: `Eng ${tag}`, members: [] })).json()) as { id: string };
  expect(
    (
      await scim.patch(`/Groups/${group.id}`, {
        Operations: [{ op: "replace", value: { id: group.id, displayName: `Engineering ${tag}` } }],
      })
    ).status(),
  ).toBe(204);
  expect(
    (
      await scim.patch(`/Groups/${group.id}`, {
        Operations: [{ op: "add", path: "members", value: [{ value: aliceId }, { value: bobId }] }],
      })
    ).status(),
  ).toBe(204);
  expect((await scim.patch(`/Users/${bobId}`, { Operations: [{ op: "replace", value: { active: false } }] })).status()).toBe(200);

  // The log: each row a sentence naming the person or group; opened, the credential by name, the body and the answer.
  await signIn(page, { email: f.ownerEmail, password: SCIM_OWNER_PASSWORD }, "/org-admin/scim/log");
  const summaries = page.getByRole("list", { name: "Provisioning events" }).getByTestId("log-summary");
  await expect(summaries).toHaveText([
    `Deactivated ${bob} — removed from the organization`,
    `Added 2 members to Engineering ${tag}`,
    `Renamed group Eng ${tag} → Engineering ${tag}`,
    `Created group Eng ${tag}`,
    `Refused to create ${alice.toUpperCase()}: userName already taken`,
    `Created ${bob} — joined as Member`,
    `Created ${alice} — joined as Member`,
  ]);
  const created = page.getByTestId("log-entry").filter({ hasText: `Created ${alice}` });
  await created.locator("summary").click();
  await expect(created).toContainText(`Secret token “e2e log”`);
  await expect(created.getByRole("heading", { name: "Request" })).toBeVisible();
  await expect(created.getByRole("heading", { name: "Answer" })).toBeVisible();
  await expect(created.locator("pre").nth(1)).toContainText(`"id": "${aliceId}"`);
  // The body as sent: userName first, then name, then emails.
  const sent = await created.locator("pre").first().textContent();
  expect(sent!.indexOf('"userName"')).toBeLessThan(sent!.indexOf('"name"'));
  expect(sent!.indexOf('"name"')).toBeLessThan(sent!.indexOf('"emails"'));
  await screenshot(page, "readable-log");

  // A person's page lists the group change that touched them, not only requests on the user.
  await page.goto(`/org-admin/scim/users/${aliceId}`);
  const history = page.getByRole("list", { name: "Provisioning history" }).getByTestId("log-summary");
  await expect(history).toHaveText([`Added 2 members to Engineering ${tag}`, `Created ${alice} — joined as Member`]);
  await screenshot(page, "scim-user-history");

  // The SCIM page's chart: 7 requests and 1 error, said in words beside the bars; a bar opens the log for its hour.
  await page.goto("/org-admin/scim");
  await expect(page.getByTestId("activity-summary")).toContainText("In the last 24 hours: 7 requests, 1 error (14.3%).");
  await expect(page.getByTestId("activity-bar")).toHaveCount(24);
  await page
    .getByRole("region", { name: "Provisioning activity" })
    .screenshot({ path: "test-results/screenshots/provisioning-activity.png" });
  const busy = page.locator('[data-testid="activity-bar"]:not([aria-label*=": 0 requests"])').last();
  await expect(busy).toHaveAttribute("aria-label", /\d+ requests?, \d+ errors?$/);
  await busy.click();
  await expect(page).toHaveURL(/\/org-admin\/scim\/log\?from=.*&to=/);
  await expect(page.getByTestId("log-window")).toContainText("UTC");
  await expect(page.getByTestId("log-summary").first()).toBeVisible();

  await page.goto("/org-admin/scim?activity=30d");
  await expect(page.getByTestId("activity-summary")).toContainText("In the last 30 days: 7 requests, 1 error (14.3%).");
  await expect(page.getByTestId("activity-bar")).toHaveCount(30);
});

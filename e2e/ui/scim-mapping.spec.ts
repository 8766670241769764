import { expect, test } from "../support/fixtures";
import { screenshot, signIn } from "../support/people";
import { scimClient, scimFixtures, SCIM_OWNER_PASSWORD, unique } from "../support/scim";

// The group → org role / stack role mapping editor, the groups list and the provisioning log, in Chromium,
// on an org whose users and groups arrive through the SCIM API like an IdP sends them.
test.describe.configure({ mode: "serial" });

test("map a pushed group with the SCIM Group dropdown: preview, Update, list, and the log shows it all", async ({ page, request }) => {
  const f = scimFixtures().mapping;
  const scim = scimClient(request, f);
  const tag = unique("t");
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await scim.post("/Users", {
      userName: `eng${i}-${tag}@acme.com`,
      name: { givenName: "Eng", familyName: `${i}` },
      emails: [{ value: `eng${i}-${tag}@acme.com`, primary: true }],
      password: "not-stored-1",
    });
    ids.push((await res.json()).id);
  }
  const groupName = `Engineering ${tag}`;
  const created = await scim.post("/Groups", { displayName: groupName, members: ids.map((value) => ({ value })) });
  expect(created.status()).toBe(201);
  await scim.post("/Users", { userName: "x" }); // a 409 or a 201: either way a row in the log
  await scim.get("/Users/not-an-id"); // a 404 for the error filter

  await signIn(page, { email: f.ownerEmail, password: SCIM_OWNER_PASSWORD }, "/org-admin/scim/mapping");
  await expect(page.getByRole("heading", { name: "Group mapping" })).toBeVisible();
  await expect(page.getByTestId("mapping-preview")).toHaveText("Choose a SCIM group to see whom the mapping changes.");

  const picker = page.getByRole("combobox", { name: "SCIM Group" });
  await picker.fill(tag);
  await page.getByRole("option", { name: new RegExp(groupName) }).click();
  await expect(page.getByTestId("mapping-preview")).toHaveText("No one's access changes (3 members).");
  await page.getByLabel("Organization Role").selectOption({ label: "Admin" });
  await page.getByLabel("Developer stack").selectOption({ label: "Developer" });
  await expect(page.getByTestId("mapping-preview")).toHaveText(
    "3 of 3 members change: 3 become Admin; 3 gain Developer on Developer stack.",
  );
  await screenshot(page, "group-mapping");
  const update = page.getByRole("button", { name: "Update" });
  await update.click();
  // After Update the form shows the saved mapping: its outcome in the form, Update disabled until something changes.
  const saved = page.getByTestId("mapping-saved");
  await expect(saved).toContainText(
    `Mapping for ${groupName} saved: 3 role changes, 3 stack roles granted, 0 removed. It applies to 3 members.`,
  );
  await expect(page.getByTestId("mapping-preview")).toHaveText("No one's access changes (3 members).");
  await expect(update).toBeDisabled();
  await expect(page.getByText("No unsaved changes")).toBeVisible();
  await expect(page.getByLabel("Organization Role")).toHaveValue("admin");
  const row = page.getByRole("row").filter({ hasText: groupName });
  await expect(row).toContainText("Admin");
  await expect(row).toContainText("Developer on Developer stack");
  await expect(row).toContainText("Just saved");
  // The outcome sits in the form, not over the mappings table.
  const [notice, table] = [await saved.boundingBox(), await page.getByRole("table", { name: "Group mappings" }).boundingBox()];
  expect(notice!.y + notice!.height).toBeLessThanOrEqual(table!.y);
  await screenshot(page, "group-mapping-saved");
  // A change enables Update again; changing it back is the saved state again.
  await page.getByLabel("Marketing site").selectOption({ label: "Developer" });
  await expect(update).toBeEnabled();
  await expect(saved).toHaveCount(0);
  await page.getByLabel("Marketing site").selectOption({ label: "No access" });
  await expect(update).toBeDisabled();

  // The Organization's Users page shows them as SCIM-managed Admins.
  await page.goto(`/org-admin/users?q=${tag}`);
  await expect(page.getByRole("row").filter({ hasText: `eng0-${tag}` })).toContainText("Admin");
  await expect(page.getByRole("row").filter({ hasText: `eng0-${tag}` })).toContainText("SCIM");

  // SCIM → Users explains every grant, and shows the person's provisioning events.
  await page.goto(`/org-admin/scim/users?q=${tag}`);
  await expect(page.getByRole("row")).toHaveCount(4);
  await page.getByRole("link", { name: `eng0-${tag}@acme.com` }).click();
  await expect(page.getByTestId("role-reason")).toHaveText(`Admin — from group ${groupName}`);
  await expect(page.getByRole("list", { name: "Stack roles and where they come from" })).toHaveText(
    `Developer on Developer stack — from group ${groupName}`,
  );
  // Their history: their own creation, the group that took them in and the mapping save that made them Admin.
  const history = page.getByRole("list", { name: "Provisioning history" }).getByTestId("log-summary");
  await expect(history).toHaveText([
    `Mapped group ${groupName} to Admin — 3 became Admin; 3 gained Developer on Developer stack`,
    `Created group ${groupName} with 3 members`,
    `Created eng0-${tag}@acme.com — joined as Member`,
  ]);
  await screenshot(page, "scim-user");

  // Groups tab: member count and mapping, without loading members.
  await page.goto("/org-admin/scim/groups");
  await page.getByLabel("Search groups").fill(tag);
  await page.getByRole("button", { name: "Search" }).click();
  const g = page.getByRole("row").filter({ hasText: groupName });
  await expect(g.getByRole("cell").nth(1)).toHaveText("3");
  await expect(g).toContainText("Admin · Developer on Developer stack");
  await screenshot(page, "scim-groups");

  // Editing from the list, then removing the mapping with a confirmation.
  await page.goto("/org-admin/scim/mapping");
  await page.getByRole("link", { name: `Edit mapping of ${groupName}` }).click();
  await expect(page.getByRole("heading", { name: `Edit mapping: ${groupName}` })).toBeVisible();
  await page.getByLabel("Developer stack").selectOption({ label: "No access" });
  await page.getByLabel("Marketing site").selectOption({ label: "Content Manager" });
  await expect(page.getByTestId("mapping-preview")).toHaveText(
    "3 of 3 members change: 3 lose Developer on Developer stack; 3 gain Content Manager on Marketing site.",
  );
  await page.getByRole("button", { name: `Remove mapping of ${groupName}` }).click();
  const dialog = page.getByRole("dialog", { name: "Remove mapping" });
  await expect(dialog).toContainText(`The 3 active members of ${groupName} lose what this mapping gives them`);
  await dialog.getByRole("button", { name: "Remove mapping" }).click();
  await expect(page.getByRole("row").filter({ hasText: groupName })).toHaveCount(0);

  // The provisioning log: every request, redacted, with its access changes; filters.
  await page.goto("/org-admin/scim/log");
  const events = page.getByRole("list", { name: "Provisioning events" });
  await expect(events.getByText(`Created group ${groupName} with 3 members`)).toBeVisible();
  await expect(events.getByText(`Removed the mapping of group ${groupName} — `)).toBeVisible();
  await expect(page.getByText("not-stored-1")).toHaveCount(0);
  await page.getByLabel("Errors only").check();
  await page.getByRole("button", { name: "Filter" }).click();
  const refused = events.getByTestId("log-entry").filter({ hasText: "Refused to read user not-an-id" });
  await expect(refused.getByTestId("log-summary")).toHaveText(
    'Refused to read user not-an-id: No User with id "not-an-id" exists in this organization',
  );
  await refused.locator("summary").click();
  await expect(refused.getByText('No User with id "not-an-id" exists in this organization.', { exact: true })).toBeVisible();
  await screenshot(page, "provisioning-log");
  await page.getByLabel("Errors only").uncheck();
  await page.getByLabel("Method").selectOption("POST");
  await page.getByLabel("Resource").selectOption({ label: "Groups" });
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(events.locator("summary")).toHaveCount(1);
  await events.locator("summary").first().click();
  await expect(events.getByText(groupName).first()).toBeVisible();
});

test("after a deactivation the counts say the active members and the inactive one; a group's page lists its members", async ({
  page,
  request,
}) => {
  const f = scimFixtures().mapping;
  const scim = scimClient(request, f);
  const tag = unique("d");
  const ids: string[] = [];
  // 52 people: a second page of members on the group's page.
  for (let i = 0; i < 52; i++) {
    const userName = `p${String(i).padStart(2, "0")}-${tag}@acme.com`;
    const res = await scim.post("/Users", { userName, displayName: `Person ${i} ${tag}`, emails: [{ value: userName, primary: true }] });
    ids.push((await res.json()).id);
  }
  const groupName = `Deactivation ${tag}`;
  const group = await (await scim.post("/Groups", { displayName: groupName, members: ids.map((value) => ({ value })) })).json();
  const off = await scim.patch(`/Users/${ids[1]}`, { Operations: [{ op: "replace", value: { active: false } }] });
  expect(off.status()).toBe(200);

  await signIn(page, { email: f.ownerEmail, password: SCIM_OWNER_PASSWORD }, `/org-admin/scim/groups?q=${tag}`);
  const row = page.getByRole("row").filter({ hasText: groupName });
  await expect(row.getByRole("cell").nth(1)).toHaveText("51and 1 inactive");
  await expect(row.getByText("and 1 inactive")).toBeVisible();
  await screenshot(page, "scim-groups-inactive");

  // The mapping editor: the dropdown, the preview and the save count the 51 active people, then the 1 inactive.
  await page.goto("/org-admin/scim/mapping");
  await page.getByRole("combobox", { name: "SCIM Group" }).fill(tag);
  await expect(page.getByRole("option", { name: new RegExp(groupName) })).toContainText("51 members and 1 inactive");
  await page.getByRole("option", { name: new RegExp(groupName) }).click();
  await page.getByLabel("Marketing site").selectOption({ label: "Developer" });
  await expect(page.getByTestId("mapping-preview")).toHaveText(
    "51 of 51 members change: 51 gain Developer on Marketing site. 1 more member is inactive.",
  );
  await page.getByRole("button", { name: "Update" }).click();
  await expect(page.getByTestId("mapping-saved")).toContainText("It applies to 51 members and 1 inactive.");
  const mapped = page.getByRole("row").filter({ hasText: groupName });
  await expect(mapped).toContainText("and 1 inactive");
  await page.getByRole("button", { name: `Remove mapping of ${groupName}` }).click();
  const dialog = page.getByRole("dialog", { name: "Remove mapping" });
  await expect(dialog).toContainText(
    `The 51 active members of ${groupName} lose what this mapping gives them at once, keeping only what their other groups grant. 1 more member is inactive and already without access.`,
  );
  await screenshot(page, "remove-mapping-inactive");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // The group's page: counts, members paged by 50 and searched, each linking to the person, who links back.
  await mapped.getByRole("link", { name: groupName, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/org-admin/scim/groups/${group.id}$`));
  await expect(page.getByRole("heading", { name: groupName })).toBeVisible();
  await expect(page.getByTestId("group-members-summary")).toContainText("51 active members and 1 inactive");
  const members = page.getByRole("table", { name: `Members of ${groupName}` });
  await expect(members.getByRole("row")).toHaveCount(51); // header + 50
  await expect(members.getByRole("row").filter({ hasText: `p01-${tag}` })).toContainText("Inactive");
  await expect(members.getByRole("row").filter({ hasText: `p00-${tag}` })).toContainText("Active");
  await expect(page.getByRole("navigation", { name: "Pagination" })).toContainText("52 members · page 1 of 2");
  await screenshot(page, "scim-group");
  await page.getByRole("link", { name: "Next" }).click();
  await expect(members.getByRole("row")).toHaveCount(3);
  await expect(members).toContainText(`p51-${tag}@acme.com`);
  await page.getByLabel("Search members").fill(`person 7 ${tag}`);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(members.getByRole("row")).toHaveCount(2);
  await members.getByRole("link", { name: `p07-${tag}@acme.com` }).click();
  const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
  await expect(crumbs).toContainText(`Groups/${groupName}/p07-${tag}@acme.com`);
  await screenshot(page, "scim-user-from-group");
  await crumbs.getByRole("link", { name: groupName }).click();
  await expect(page.getByLabel("Search members")).toHaveValue(`person 7 ${tag}`);
  await expect(members.getByRole("row")).toHaveCount(2);

  // From the provisioned users list, the way back keeps its search and page.
  await page.goto(`/org-admin/scim/users?q=${tag}&page=2`);
  await page.getByRole("link", { name: `p51-${tag}@acme.com` }).click();
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Provisioned users" }).click();
  await expect(page).toHaveURL(new RegExp(`/org-admin/scim/users\\?q=${tag}&page=2$`));
  await expect(page.getByLabel("Search provisioned users")).toHaveValue(tag);
  await expect(page.getByRole("link", { name: `p51-${tag}@acme.com` })).toBeVisible();
});

test("an Admin made in the portal is not taken over when the IdP provisions them, until the Owner hands them to SCIM", async ({
  page,
  request,
}) => {
  const f = scimFixtures().mapping;
  const email = f.heldAdminEmail!;
  const created = await scimClient(request, f).post("/Users", { userName: email, emails: [{ value: email, primary: true }] });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  await signIn(page, { email: f.ownerEmail, password: SCIM_OWNER_PASSWORD }, `/org-admin/scim/users/${id}`);
  const note = page.getByRole("note");
  await expect(note).toContainText("Added in the portal before SCIM linked them");
  await expect(note).toContainText("SCIM does not change their role (Admin)");
  await expect(page.getByText("Organization role: Admin")).toBeVisible();
  await page.getByRole("button", { name: "Hand to SCIM" }).click();
  const dialog = page.getByRole("dialog", { name: `Hand ${email} to SCIM` });
  await expect(dialog).toContainText("Admin becomes Member");
  await expect(dialog).toContainText("When the identity provider deactivates them, they will be removed");
  await screenshot(page, "hand-to-scim");
  await dialog.getByRole("button", { name: "Hand to SCIM" }).click();
  await expect(page.getByText("Organization role: Member")).toBeVisible();
  await expect(page.getByRole("note")).toHaveCount(0);
});

test("a password sent in any PATCH shape never reaches the provisioning log page", async ({ page, request }) => {
  const f = scimFixtures().mapping;
  const scim = scimClient(request, f);
  const canary = `Canary-${unique("pw")}`;
  const user = await (await scim.post("/Users", { userName: `canary-${unique("u")}@acme.com`, password: canary })).json();
  for (const op of [
    { op: "replace", path: "password", value: canary },
    { op: "replace", path: "urn:ietf:params:scim:schemas:core:2.0:User:password", value: canary },
    { op: "Replace", path: "PASSWORD", value: canary },
    { op: "replace", value: { password: canary, active: true } },
  ])
    expect((await scim.patch(`/Users/${user.id}`, { Operations: [op] })).status()).toBe(200);
  await scim.put(`/Users/${user.id}`, { userName: user.userName, "urn:ietf:params:scim:schemas:core:2.0:User:password": canary });

  await signIn(page, { email: f.ownerEmail, password: SCIM_OWNER_PASSWORD }, "/org-admin/scim/log");
  await expect(page.getByRole("heading", { name: "SCIM", level: 1 })).toBeVisible();
  await expect(page.getByText(`Updated ${user.userName}`).first()).toBeVisible();
  const html = await page.content();
  expect(html).toContain("[redacted]");
  expect(html).not.toContain(canary);
});

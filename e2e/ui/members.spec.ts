import type { Browser, Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { membersFixture, MEMBERS_PASSWORD } from "../support/members";
import { screenshot, signIn } from "../support/people";

// Members managed by hand beside SCIM: invitations (new person, existing account; used, expired and revoked links
// refused), role changes, removal and ownership transfer, with the refusals the page shows.
test.describe.configure({ mode: "serial" });

const fx = membersFixture();
const newPerson = `members-new-${Date.now().toString(36)}@example.com`;

async function invite(page: Page, email: string, role: "Admin" | "Member"): Promise<string> {
  await page.goto("/org-admin/members");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role").selectOption({ label: role });
  await page.getByRole("button", { name: "Create invitation" }).click();
  const link = page.getByTestId("invitation-link");
  await expect(link).toBeVisible();
  await expect(page.getByRole("button", { name: "Copy invitation link" })).toBeVisible();
  const url = (await link.textContent())!.trim();
  expect(url).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}$/);
  return new URL(url).pathname;
}

/** A browser of its own, signed in as nobody: how the invited person opens the link. */
async function stranger(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  return context.newPage();
}

const rowOf = (page: Page, email: string) =>
  page.getByRole("table", { name: "Organization members" }).getByRole("row").filter({ hasText: email });

test("the Owner invites a new person as Admin: they set a name and password, are signed in, and the link is used up", async ({
  page,
  browser,
}) => {
  await signIn(page, { email: fx.ownerEmail, password: MEMBERS_PASSWORD }, "/org-admin/members");
  await expect(page.getByRole("heading", { name: "Members", level: 1 })).toBeVisible();
  // The IdP's people are read-only here.
  await expect(rowOf(page, fx.scimMemberEmail)).toContainText("Managed by your identity provider");
  await expect(rowOf(page, fx.scimMemberEmail).getByRole("button")).toHaveCount(0);
  await expect(rowOf(page, fx.ownerEmail)).toContainText("You");

  const path = await invite(page, newPerson, "Admin");
  await page.reload();
  await expect(page.getByRole("table", { name: "Pending invitations" }).getByRole("row").filter({ hasText: newPerson })).toContainText(
    "Admin",
  );
  await screenshot(page, "members");

  const them = await stranger(browser);
  await them.goto(path);
  await expect(them.getByRole("heading", { name: `Join ${fx.orgName}` })).toBeVisible();
  await expect(them.getByText(`${fx.ownerEmail} invited`)).toBeVisible();
  await screenshot(them, "invitation-new-person");
  await them.getByLabel("Your name").fill("Nora New");
  await them.getByLabel("Choose a password").fill("short");
  await them.getByRole("button", { name: `Join ${fx.orgName}` }).click();
  // The browser refuses a too-short password before anything is sent; a valid one joins.
  await expect(them).toHaveURL(new RegExp(`${path}$`));
  await them.getByLabel("Choose a password").fill("nora-password-1");
  await them.getByRole("button", { name: `Join ${fx.orgName}` }).click();
  await expect(them).toHaveURL(/\/org-admin(\/info)?$/);
  await expect(them.getByTestId("org-name")).toHaveText(fx.orgName);

  // The link worked once.
  const again = await stranger(browser);
  await again.goto(path);
  await expect(again.getByRole("heading", { name: "This invitation was already used" })).toBeVisible();

  await page.goto("/org-admin/members");
  await expect(rowOf(page, newPerson)).toContainText("Admin");
  // Accepted: no longer pending (the expired invitation of the fixture still is, marked Expired).
  const pending = page.getByRole("table", { name: "Pending invitations" });
  await expect(pending.getByRole("row").filter({ hasText: newPerson })).toHaveCount(0);
  await expect(pending.getByRole("row").filter({ hasText: "members-late-" })).toContainText("Expired");
});

test("an existing account signs in, then joins as itself; expired and revoked links are refused", async ({ page, browser }) => {
  await signIn(page, { email: fx.ownerEmail, password: MEMBERS_PASSWORD }, "/org-admin/members");
  const path = await invite(page, fx.outsiderEmail, "Member");
  const them = await stranger(browser);
  await them.goto(path);
  await them.getByRole("link", { name: "Sign in to accept" }).click();
  await expect(them.getByRole("heading", { name: "Sign in to Org Admin" })).toBeVisible();
  await them.getByLabel("Email").fill(fx.outsiderEmail);
  await them.getByLabel("Password").fill(MEMBERS_PASSWORD);
  await them.getByRole("button", { name: "Sign in" }).click();
  await expect(them).toHaveURL(new RegExp(`${path}$`));
  await them.getByRole("button", { name: `Join ${fx.orgName}` }).click();
  await expect(them).toHaveURL(/\/my-access$/);
  await expect(them.getByRole("region", { name: fx.orgName })).toBeVisible();

  const late = await stranger(browser);
  await late.goto(fx.expiredInvitationPath);
  await expect(late.getByRole("heading", { name: "This invitation has expired" })).toBeVisible();
  await late.goto("/invite/not-a-link-anyone-was-ever-given-000");
  await expect(late.getByRole("heading", { name: "This link is not valid" })).toBeVisible();

  const revokedEmail = `members-revoked-${Date.now().toString(36)}@example.com`;
  const revokedPath = await invite(page, revokedEmail, "Member");
  await page.reload();
  await page.getByRole("button", { name: `Revoke the invitation for ${revokedEmail}` }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke invitation" });
  await expect(dialog).toContainText(revokedEmail);
  await dialog.getByRole("button", { name: "Revoke invitation" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(revokedEmail)).toHaveCount(0);
  await late.goto(revokedPath);
  await expect(late.getByRole("heading", { name: "This invitation was revoked" })).toBeVisible();
});

test("role changes and removal, confirmed; the Owner transfers ownership to an Admin and becomes one", async ({ page }) => {
  await signIn(page, { email: fx.ownerEmail, password: MEMBERS_PASSWORD }, "/org-admin/members");
  await rowOf(page, fx.adminEmail)
    .getByRole("button", { name: `Make ${fx.adminEmail} a Member` })
    .click();
  const demote = page.getByRole("dialog", { name: "Make Member" });
  await expect(demote).toContainText("will no longer manage this organization");
  await demote.getByRole("button", { name: "Make Member" }).click();
  await expect(rowOf(page, fx.adminEmail).getByText("Member", { exact: true })).toBeVisible();
  await rowOf(page, fx.adminEmail)
    .getByRole("button", { name: `Make ${fx.adminEmail} an Admin` })
    .click();
  await page.getByRole("dialog", { name: "Make Admin" }).getByRole("button", { name: "Make Admin" }).click();
  await expect(rowOf(page, fx.adminEmail).getByText("Admin", { exact: true })).toBeVisible();

  // Removal asks first; cancelling keeps the person.
  await rowOf(page, newPerson)
    .getByRole("button", { name: `Remove ${newPerson}` })
    .click();
  const remove = page.getByRole("dialog", { name: "Remove member" });
  await expect(remove).toContainText("leaves this organization at once");
  await screenshot(page, "members-remove-confirm");
  await remove.getByRole("button", { name: "Cancel" }).click();
  await expect(rowOf(page, newPerson)).toHaveCount(1);
  await rowOf(page, newPerson)
    .getByRole("button", { name: `Remove ${newPerson}` })
    .click();
  await remove.getByRole("button", { name: "Remove" }).click();
  await expect(rowOf(page, newPerson)).toHaveCount(0);

  // A Member cannot be made Owner; an Admin can.
  await expect(rowOf(page, fx.outsiderEmail).getByRole("button", { name: /Transfer ownership/ })).toHaveCount(0);
  await rowOf(page, fx.adminEmail)
    .getByRole("button", { name: `Transfer ownership to ${fx.adminEmail}` })
    .click();
  const transfer = page.getByRole("dialog", { name: "Transfer ownership" });
  await expect(transfer).toContainText("you become an Admin");
  await transfer.getByRole("button", { name: "Transfer ownership" }).click();
  await expect(rowOf(page, fx.adminEmail).getByText("Owner", { exact: true })).toBeVisible();
  await expect(rowOf(page, fx.ownerEmail).getByText("Admin", { exact: true })).toBeVisible();
  // Now an Admin: nothing to do on the Owner, and no ownership to give.
  await expect(rowOf(page, fx.adminEmail).getByRole("button")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Transfer ownership to/ })).toHaveCount(0);
  await screenshot(page, "members-after-transfer");

  // Each of these is in the audit trail once, with who did it.
  await page.goto("/org-admin/audit");
  const events = page.getByRole("table", { name: "Audit events" }).locator("tbody tr");
  for (const [what, count] of [
    ["Transferred ownership", 1],
    ["Removed a member", 1],
    ["Changed a member's role", 2],
    ["Accepted an invitation", 2],
    ["Revoked an invitation", 1],
    ["Invited a member", 4], // three here, and the fixture's expired one (by System)
  ] as const)
    await expect(events.filter({ hasText: what }), what).toHaveCount(count);
  await expect(events.filter({ hasText: "Transferred ownership" })).toContainText(fx.ownerEmail);
  await expect(events.filter({ hasText: "Transferred ownership" })).toContainText(fx.adminEmail);
  await expect(events.filter({ hasText: "Accepted an invitation" }).filter({ hasText: newPerson })).toHaveCount(1);
});

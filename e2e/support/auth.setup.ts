import { expect, test as setup } from "@playwright/test";
import { DEMO } from "@/db/seed";
import { OWNER_STATE } from "./env";

// Signs the demo Owner in once; the ui project reuses the session.
setup("sign in as the demo Owner", async ({ page }) => {
  const owner = DEMO.people[0]!;
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/org-admin\/info$/);
  await page.context().storageState({ path: OWNER_STATE });
});

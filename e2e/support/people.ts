import { expect, type Page } from "@playwright/test";
import { DEMO } from "@/db/seed";

export const OWNER = DEMO.people.find((p) => p.role === "owner")!;
export const ADMIN = DEMO.people.find((p) => p.role === "admin")!;
export const MEMBER = DEMO.people.find((p) => p.role === "member")!;

/** Signs in through the sign-in page, starting from `path` (a protected page redirects there first). */
export async function signIn(page: Page, who: { email: string; password: string }, path = "/sign-in") {
  await page.goto(path);
  await expect(page.getByRole("heading", { name: "Sign in to Org Admin" })).toBeVisible();
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The sign-in form navigates by script once the session is set: wait for where it lands to be ready.
  await Promise.race([
    page.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 15_000 }),
    errorAlert(page).waitFor({ state: "visible", timeout: 15_000 }),
  ]).catch(() => {});
  await page.waitForLoadState("networkidle");
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/** Our own error messages (Next.js keeps an empty role=alert route announcer on every page). */
export function errorAlert(page: Page) {
  return page.locator('[role="alert"]:not(#__next-route-announcer__)');
}

import { test as base, expect } from "@playwright/test";

/**
 * `page.goto` that also waits for the network to go quiet, so client components are hydrated before a test
 * types or clicks (a keystroke before hydration reaches the DOM but not React's state). Every UI test also fails on
 * a Content-Security-Policy violation the browser reports (a script or style the page's CSP blocked).
 */
export const test = base.extend({
  page: async ({ page }, provide) => {
    const violations: string[] = [];
    page.on("console", (msg) => {
      if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) violations.push(`${page.url()}: ${msg.text()}`);
    });
    const goto = page.goto.bind(page);
    page.goto = async (url, options) => {
      const response = await goto(url, options);
      await page.waitForLoadState("networkidle");
      return response;
    };
    await provide(page);
    expect(violations, "Content-Security-Policy violations").toEqual([]);
  },
});

export { expect } from "@playwright/test";

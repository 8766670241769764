import { test as base } from "@playwright/test";

/**
 * `page.goto` that also waits for the network to go quiet, so client components are hydrated before a test
 * types or clicks (a keystroke before hydration reaches the DOM but not React's state).
 */
export const test = base.extend({
  page: async ({ page }, provide) => {
    const goto = page.goto.bind(page);
    page.goto = async (url, options) => {
      const response = await goto(url, options);
      await page.waitForLoadState("networkidle");
      return response;
    };
    await provide(page);
  },
});

export { expect } from "@playwright/test";

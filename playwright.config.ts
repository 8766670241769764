import { defineConfig, devices } from "@playwright/test";
import { findChromium, SYSTEM_CHROMIUM_ARGS } from "./e2e/support/browser";
import { E2E_BASE_URL, E2E_IDP_ISSUER, E2E_IDP_PORT, E2E_PORT } from "./e2e/support/env";

/**
 * End-to-end suites against `next start` (run through scripts/start.mts, which migrates and seeds the demo).
 * The database: DATABASE_URL when set (a local throwaway PostgreSQL), else a fresh PGlite folder that
 * scripts/test.mts chooses (E2E_PGLITE_DIR).
 */
const browser = findChromium();
const launchOptions = browser?.kind === "system" ? { executablePath: browser.path, args: SYSTEM_CHROMIUM_ARGS } : {};

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results/e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  use: {
    baseURL: E2E_BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "setup", testMatch: /support\/auth\.setup\.ts/, use: { ...devices["Desktop Chrome"], launchOptions } },
    {
      name: "ui",
      testMatch: /ui\/.*\.spec\.ts/,
      dependencies: ["setup"],
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 }, launchOptions },
    },
    { name: "api", testMatch: /api\/.*\.spec\.ts/ },
  ],
  // In order: the OpenID Provider that plays the orgs' IdP, then the portal.
  webServer: [
    {
      command: "node_modules/.bin/tsx e2e/support/oidc-idp.mts",
      url: `${E2E_IDP_ISSUER}/.well-known/openid-configuration`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: { E2E_IDP_PORT: String(E2E_IDP_PORT), E2E_APP_URL: E2E_BASE_URL },
    },
    {
      command: "node_modules/.bin/tsx e2e/support/prepare.mts && node_modules/.bin/tsx scripts/start.mts --seed",
      url: `${E2E_BASE_URL}/api/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      env: {
        PORT: String(E2E_PORT),
        APP_URL: E2E_BASE_URL,
        NEXTAUTH_URL: E2E_BASE_URL,
        DATA_DIR: process.env.E2E_DATA_DIR ?? ".data/e2e",
        ...(process.env.E2E_PGLITE_DIR ? { PGLITE_DIR: process.env.E2E_PGLITE_DIR } : {}),
        LOG_LEVEL: "warn",
      },
    },
  ],
});

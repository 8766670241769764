/** Where the suites find the server that playwright.config.ts starts. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
export const AUTH_DIR = "test-results/.auth";
export const OWNER_STATE = `${AUTH_DIR}/owner.json`;
/** The suite's OpenID Provider (e2e/support/oidc-idp.mts): "the org's Okta" for single sign-on. */
export const E2E_IDP_PORT = Number(process.env.E2E_IDP_PORT ?? 3199);
export const E2E_IDP_ISSUER = `http://127.0.0.1:${E2E_IDP_PORT}`;

import { readFileSync } from "node:fs";
import { expect, type APIRequestContext, type APIResponse } from "@playwright/test";

/** Written by e2e/support/prepare.mts before the server starts: orgs with SCIM on, and their tokens. */
export const SCIM_FIXTURES_FILE = "test-results/.scim/fixtures.json";

export type ScimOrgFixture = { orgId: string; token: string; ownerEmail: string; heldAdminEmail?: string };
export type ScimFixtures = {
  okta: ScimOrgFixture;
  entra: ScimOrgFixture;
  api: ScimOrgFixture;
  other: ScimOrgFixture;
  disabled: ScimOrgFixture;
  oauth: ScimOrgFixture;
  mapping: ScimOrgFixture;
  journey: ScimOrgFixture;
  /** SCIM off and nothing in its audit trail: e2e/ui/audit-log.spec.ts. */
  audit: ScimOrgFixture;
  /** The readable log's spec alone provisions here, so the activity chart's counts are its own. */
  log: ScimOrgFixture;
};
/** The password of every fixture org's Owner. */
export const SCIM_OWNER_PASSWORD = "scim-owner-pass";

export function scimFixtures(): ScimFixtures {
  return JSON.parse(readFileSync(SCIM_FIXTURES_FILE, "utf8")) as ScimFixtures;
}

export const SCIM_JSON = "application/scim+json; charset=utf-8";

/** A SCIM client as an IdP is one: base URL of one org, a token, SCIM content type. */
export function scimClient(request: APIRequestContext, org: ScimOrgFixture, opts: { authorization?: string | null } = {}) {
  const base = `/scim/v2.0/organizations/${org.orgId}`;
  const headers = (extra: Record<string, string> = {}) => ({
    ...(opts.authorization === null ? {} : { authorization: opts.authorization ?? `Bearer ${org.token}` }),
    accept: "application/scim+json",
    ...extra,
  });
  const send = (method: string, path: string, data?: unknown, extra: Record<string, string> = {}) =>
    request.fetch(`${base}${path}`, {
      method,
      headers: headers(data === undefined ? extra : { "content-type": SCIM_JSON, ...extra }),
      data: data === undefined ? undefined : typeof data === "string" ? data : JSON.stringify(data),
      maxRedirects: 0,
    });
  return {
    base,
    get: (path: string, extra?: Record<string, string>) => send("GET", path, undefined, extra),
    post: (path: string, data: unknown, extra?: Record<string, string>) => send("POST", path, data, extra),
    put: (path: string, data: unknown, extra?: Record<string, string>) => send("PUT", path, data, extra),
    patch: (path: string, data: unknown, extra?: Record<string, string>) => send("PATCH", path, data, extra),
    delete: (path: string, extra?: Record<string, string>) => send("DELETE", path, undefined, extra),
  };
}

/** Asserts a SCIM error: status, SCIM Error schema, status as a string, scimType when given, a detail. */
export async function expectScimError(res: APIResponse, status: number, scimType?: string): Promise<{ detail: string }> {
  expect(res.status(), await res.text()).toBe(status);
  expect(res.headers()["content-type"]).toContain("application/scim+json");
  const body = await res.json();
  expect(body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  expect(body.status).toBe(String(status));
  if (scimType) expect(body.scimType).toBe(scimType);
  expect(typeof body.detail).toBe("string");
  expect(body.detail.length).toBeGreaterThan(10);
  return body;
}

export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

import { describe, expect, it } from "vitest";
import { normalizeScopes, OKTA_DEFAULT_REDIRECT_URIS, parseClientList, redirectUriAllowed, type OAuthClient } from "./clients";
import { isValidChallenge, s256, verifyPkce } from "./pkce";

const okta: OAuthClient = { id: "okta", name: "Okta", secret: "x".repeat(20), redirectUris: OKTA_DEFAULT_REDIRECT_URIS };

describe("redirect URI matching", () => {
  it.each([
    "https://system-admin.okta.com/admin/app/cpc/acme_scim_1/oauth/callback",
    "https://system-admin.okta-emea.com/admin/app/cpc/myApp/oauth/callback",
    "https://system-admin.oktapreview.com/admin/app/cpc/app-2.0/oauth/callback",
    "https://system-admin.trexcloud.com/admin/app/cpc/x/oauth/callback",
    "http://system-admin.okta1.com:1802/admin/app/cpc/local/oauth/callback",
  ])("accepts Okta's callback %s", (uri) => expect(redirectUriAllowed(okta, uri)).toBe(true));

  it.each([
    ["look-alike host", "https://system-admin.okta.com.evil.io/admin/app/cpc/a/oauth/callback"],
    ["host suffix", "https://evilsystem-admin.okta.com/admin/app/cpc/a/oauth/callback"],
    ["other subdomain", "https://attacker.okta.com/admin/app/cpc/a/oauth/callback"],
    ["userinfo", "https://system-admin.okta.com@evil.io/admin/app/cpc/a/oauth/callback"],
    ["http instead of https", "http://system-admin.okta.com/admin/app/cpc/a/oauth/callback"],
    ["other port", "https://system-admin.okta.com:8443/admin/app/cpc/a/oauth/callback"],
    ["missing port", "http://system-admin.okta1.com/admin/app/cpc/a/oauth/callback"],
    ["two segments for appName", "https://system-admin.okta.com/admin/app/cpc/a/b/oauth/callback"],
    ["empty appName", "https://system-admin.okta.com/admin/app/cpc//oauth/callback"],
    ["encoded slash", "https://system-admin.okta.com/admin/app/cpc/a%2Fb/oauth/callback"],
    ["dot segments", "https://system-admin.okta.com/admin/app/cpc/../../../evil/oauth/callback"],
    ["appName ..", "https://system-admin.okta.com/admin/app/cpc/../oauth/callback"],
    ["extra path", "https://system-admin.okta.com/admin/app/cpc/a/oauth/callback/more"],
    ["trailing slash", "https://system-admin.okta.com/admin/app/cpc/a/oauth/callback/"],
    ["query", "https://system-admin.okta.com/admin/app/cpc/a/oauth/callback?next=https://evil.io"],
    ["fragment", "https://system-admin.okta.com/admin/app/cpc/a/oauth/callback#x"],
    ["backslash", "https://system-admin.okta.com\\@evil.io/admin/app/cpc/a/oauth/callback"],
    ["javascript", "javascript:alert(1)"],
    ["relative", "/admin/app/cpc/a/oauth/callback"],
  ])("refuses a %s", (_, uri) => expect(redirectUriAllowed(okta, uri)).toBe(false));

  it("reads extra clients from OAUTH_CLIENTS and refuses bad patterns", () => {
    const [c] = parseClientList(
      JSON.stringify([{ id: "entra-oauth", name: "Other IdP", secret: "s".repeat(20), redirectUris: ["https://idp.example.com/cb"] }]),
    );
    expect(redirectUriAllowed(c!, "https://idp.example.com/cb")).toBe(true);
    expect(redirectUriAllowed(c!, "https://idp.example.com/cb2")).toBe(false);
    expect(() => parseClientList("not json")).toThrow(/not valid JSON/);
    expect(() => parseClientList(JSON.stringify([{ id: "x1", name: "X", secret: "short", redirectUris: ["https://a/cb"] }]))).toThrow(
      /16 characters/,
    );
    expect(() =>
      parseClientList(JSON.stringify([{ id: "x12", name: "X", secret: "s".repeat(20), redirectUris: ["https://a/cb?x=1"] }])),
    ).toThrow(/without query/);
  });
});

describe("scopes", () => {
  it("keeps known scopes in order, drops unknown ones, defaults when none are asked", () => {
    expect(normalizeScopes("offline_access scim:write")).toEqual(["scim:write", "offline_access"]);
    expect(normalizeScopes("openid scim:read")).toEqual(["scim:read"]);
    expect(normalizeScopes(null)).toEqual(["scim:read", "scim:write", "offline_access"]);
    expect(normalizeScopes("openid profile")).toEqual([]);
  });
});

describe("PKCE S256", () => {
  it("matches RFC 7636's example and refuses mismatches and malformed verifiers", () => {
    const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    expect(s256(verifier)).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    expect(verifyPkce("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", verifier)).toBe(true);
    expect(verifyPkce("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", verifier.replace("d", "e"))).toBe(false);
    expect(verifyPkce(s256("short"), "short")).toBe(false);
    expect(isValidChallenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")).toBe(true);
    expect(isValidChallenge("plain-verifier")).toBe(false);
  });
});

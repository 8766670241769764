import { expect, test } from "@playwright/test";
import { MEMBER } from "../support/people";
import { OktaSimulator } from "../support/okta-sim";
import { expectScimError, scimClient, scimFixtures, SCIM_OWNER_PASSWORD } from "../support/scim";

// Okta's "Authenticate with …" flow against our authorization server, over HTTP against `next start`.

test("metadata describes the authorization server (RFC 8414)", async ({ request }) => {
  const res = await request.get("/.well-known/oauth-authorization-server");
  expect(res.status()).toBe(200);
  const meta = await res.json();
  expect(meta).toMatchObject({
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
  });
  for (const key of ["issuer", "authorization_endpoint", "token_endpoint", "revocation_endpoint"]) expect(meta[key]).toMatch(/^http/);
});

test("authorize → consent → code → token → SCIM → refresh → SCIM, then the negatives", async ({ request }) => {
  const f = scimFixtures();
  const okta = new OktaSimulator(request);
  await okta.signIn(f.oauth.ownerEmail, SCIM_OWNER_PASSWORD);

  const back = await okta.decide(await okta.consentForm(), "allow", f.oauth.orgId);
  expect(back.origin + back.pathname).toBe(okta.redirectUri);
  expect(back.searchParams.get("state")).toBe(okta.state);
  const code = back.searchParams.get("code")!;
  expect(code).toBeTruthy();

  // A wrong verifier fails but does not burn the code's chance of being refused later as a replay.
  const mismatch = await okta.exchange(code, { code_verifier: "x".repeat(64) });
  expect(mismatch.status()).toBe(400);
  expect(await mismatch.json()).toMatchObject({ error: "invalid_grant" });
  expect(mismatch.headers()["cache-control"]).toBe("no-store");

  const tokenRes = await okta.exchange(code);
  expect(tokenRes.status(), await tokenRes.text()).toBe(200);
  expect(tokenRes.headers()["cache-control"]).toBe("no-store");
  const tokens = await tokenRes.json();
  expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "scim:read scim:write offline_access" });

  const scim = (token: string, orgId = f.oauth.orgId) => scimClient(request, { orgId, token, ownerEmail: "" });
  const test1 = await scim(tokens.access_token).get("/Users?startIndex=1&count=2");
  expect(test1.status()).toBe(200);
  const created = await scim(tokens.access_token).post("/Users", { userName: `oauth-${Date.now()}@acme.com` });
  expect(created.status()).toBe(201);

  // The token belongs to its org only.
  await expectScimError(await scim(tokens.access_token, f.other.orgId).get("/Users"), 401);

  // Refresh with client_secret_post this time; the new access token works.
  const refreshed = await okta.token({ grant_type: "refresh_token", refresh_token: tokens.refresh_token }, "post");
  expect(refreshed.status(), await refreshed.text()).toBe(200);
  const next = await refreshed.json();
  expect(next.refresh_token).not.toBe(tokens.refresh_token);
  expect((await scim(next.access_token).get("/Users?count=1")).status()).toBe(200);

  // Reusing the old refresh token revokes the whole grant: even the newest access token dies at once.
  const reuse = await okta.token({ grant_type: "refresh_token", refresh_token: tokens.refresh_token });
  expect(await reuse.json()).toMatchObject({ error: "invalid_grant" });
  await expectScimError(await scim(next.access_token).get("/Users?count=1"), 401);

  // The code cannot be used again.
  expect(await (await okta.exchange(code)).json()).toMatchObject({ error: "invalid_grant" });
});

test("token endpoint refuses a wrong client secret and a replayed code, and revocation kills tokens", async ({ request }) => {
  const f = scimFixtures();
  const okta = new OktaSimulator(request);
  await okta.signIn(f.oauth.ownerEmail, SCIM_OWNER_PASSWORD);
  const code = (await okta.decide(await okta.consentForm(), "allow", f.oauth.orgId)).searchParams.get("code")!;

  const wrong = new OktaSimulator(request, okta.clientId, "definitely-not-the-secret");
  const bad = await wrong.token({ grant_type: "authorization_code", code, redirect_uri: okta.redirectUri, code_verifier: okta.verifier });
  expect(bad.status()).toBe(401);
  expect(await bad.json()).toMatchObject({ error: "invalid_client" });
  expect(bad.headers()["www-authenticate"]).toContain("Basic");

  const notForm = await request.post("/oauth/token", { data: { grant_type: "authorization_code" } });
  expect(await notForm.json()).toMatchObject({ error: "invalid_request" });
  expect(await (await okta.token({ grant_type: "password", username: "x", password: "y" })).json()).toMatchObject({
    error: "unsupported_grant_type",
  });

  const tokens = await (await okta.exchange(code)).json();
  const scim = scimClient(request, { orgId: f.oauth.orgId, token: tokens.access_token, ownerEmail: "" });
  expect((await scim.get("/Users?count=1")).status()).toBe(200);
  const revoke = await request.post("/oauth/revoke", {
    form: { token: tokens.refresh_token, token_type_hint: "refresh_token", client_id: okta.clientId, client_secret: okta.clientSecret },
  });
  expect(revoke.status()).toBe(200);
  await expectScimError(await scim.get("/Users?count=1"), 401);
  // An expired code: app/oauth/token/route.test.ts (a code issued in the past, instead of a server with short-lived codes).
});

test("authorize validates the client and redirect URI before anything else, and errors go back per RFC 6749", async ({ request }) => {
  const okta = new OktaSimulator(request);
  // Not signed in, unknown client: an error page here, no redirect, no sign-in.
  const unknown = await request.get(okta.authorizePath({ client_id: "nope" }), { maxRedirects: 0 });
  expect(unknown.status()).toBe(200);
  expect(await unknown.text()).toContain("Unknown application");
  for (const redirect of [
    "https://system-admin.okta.com.evil.io/admin/app/cpc/x/oauth/callback",
    "https://evil.io/callback",
    "https://system-admin.okta.com/admin/app/cpc/x/oauth/callback?next=https://evil.io",
  ]) {
    const res = await request.get(okta.authorizePath({ redirect_uri: redirect }), { maxRedirects: 0 });
    expect(res.status(), redirect).toBe(200);
    expect(await res.text()).toContain("This redirect address is not allowed");
  }
  // Valid client and redirect, bad request: back to the client with an error and the state.
  for (const [over, error] of [
    [{ response_type: "token" }, "unsupported_response_type"],
    [{ code_challenge_method: "plain" }, "invalid_request"],
    [{ scope: "openid email" }, "invalid_scope"],
  ] as const) {
    const res = await request.get(okta.authorizePath(over), { maxRedirects: 0 });
    expect(res.status()).toBe(307);
    const to = new URL(res.headers()["location"]!);
    expect(to.origin + to.pathname).toBe(okta.redirectUri);
    expect(to.searchParams.get("error")).toBe(error);
    expect(to.searchParams.get("state")).toBe(okta.state);
  }
  // A valid request from a signed-out browser goes to our sign-in and back.
  const signIn = await request.get(okta.authorizePath(), { maxRedirects: 0 });
  expect(signIn.status()).toBe(307);
  expect(signIn.headers()["location"]).toContain("/sign-in?callbackUrl=%2Foauth%2Fauthorize");
});

test("Cancel sends access_denied; a Member cannot authorize; a forged or foreign consent is refused", async ({ request }) => {
  const f = scimFixtures();
  const okta = new OktaSimulator(request);
  await okta.signIn(f.oauth.ownerEmail, SCIM_OWNER_PASSWORD);
  const fields = await okta.consentForm();
  const cancelled = await okta.decide(fields, "deny");
  expect(cancelled.searchParams.get("error")).toBe("access_denied");
  expect(cancelled.searchParams.get("state")).toBe(okta.state);

  // The consent token is bound to the request: changing the redirect's app name invalidates it.
  const tampered = await request.post("/oauth/authorize/decision", {
    form: { ...fields, redirect_uri: okta.redirectUri.replace(okta.appName, "other_app"), decision: "allow", org_id: f.oauth.orgId },
    maxRedirects: 0,
  });
  expect(tampered.status()).toBe(403);

  // Another org the account does not administer.
  const foreign = await okta.decide(fields, "allow", f.other.orgId);
  expect(foreign.searchParams.get("error")).toBe("access_denied");

  const member = new OktaSimulator(request);
  await member.signIn(MEMBER.email, MEMBER.password);
  const page = await request.get(member.authorizePath());
  expect(await page.text()).toContain("You need to be an Owner or Admin to connect Okta");
});

import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { oauthGrants } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { createOrganization } from "@/lib/orgs/create-organization";
import { setScimEnabled } from "@/lib/orgs/set-scim-enabled";
import { authenticateScim } from "@/lib/credentials/authenticate";
import { auditEventsOf, byWeb, testWebActor } from "@/lib/audit/test-support";
import { getEnv } from "@/lib/env";
import { authorizeInstall, issueCode, redeemCode, refresh, revokeApp, revokeToken } from "./grants";
import { s256 } from "./pkce";

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(async () => {
  await h?.close();
});

const REDIRECT = "https://system-admin.okta.com/admin/app/cpc/acme/oauth/callback";
const VERIFIER = "a".repeat(20) + "-._~" + "B".repeat(30);

async function setup(scope = "scim:read scim:write offline_access", pkce = true) {
  const ownerEmail = `o.${uniqueSuffix()}@example.com`;
  const { org, ownerAccountId } = await createOrganization(h.db, { name: "OAuth Co", ownerEmail, ownerPassword: "password-123" });
  await setScimEnabled(h.db, org.id, true, { kind: "web", accountId: ownerAccountId, email: ownerEmail, ip: null, userAgent: null });
  const code = await issueCode(
    h.db,
    {
      clientId: "okta",
      orgId: org.id,
      accountId: ownerAccountId,
      redirectUri: REDIRECT,
      scope,
      codeChallenge: pkce ? s256(VERIFIER) : null,
      codeChallengeMethod: pkce ? "S256" : null,
    },
    new Date(),
    120_000,
  );
  return { orgId: org.id, code };
}

const redeem = (code: string, over: Partial<Parameters<typeof redeemCode>[1]> = {}, now?: Date) =>
  redeemCode(h.db, { clientId: "okta", code, redirectUri: REDIRECT, codeVerifier: VERIFIER, ...over }, now);

describe("authorization code", () => {
  it("is exchanged once for an access and a refresh token bound to the org", async () => {
    const { orgId, code } = await setup();
    const tokens = await redeem(code);
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "scim:read scim:write offline_access" });
    expect(tokens.access_token).toMatch(/^at_/);
    expect(tokens.refresh_token).toMatch(/^rt_/);
    await expect(authenticateScim(h.db, orgId, `Bearer ${tokens.access_token}`)).resolves.toMatchObject({ kind: "oauth", orgId });
  });

  it("a replayed code is refused and revokes what the first exchange issued", async () => {
    const { orgId, code } = await setup();
    const first = await redeem(code);
    await expect(redeem(code)).rejects.toMatchObject({ error: "invalid_grant", description: expect.stringContaining("already been used") });
    await expect(authenticateScim(h.db, orgId, `Bearer ${first.access_token}`)).rejects.toMatchObject({ status: 401 });
    await expect(refresh(h.db, { clientId: "okta", refreshToken: first.refresh_token! })).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it.each([
    ["another client", { clientId: "other" }, "another client"],
    ["another redirect_uri", { redirectUri: REDIRECT.replace("acme", "evil") }, "redirect_uri"],
    ["no verifier", { codeVerifier: null }, "code_verifier is required"],
    ["a wrong verifier", { codeVerifier: "b".repeat(50) }, "does not match"],
    ["an unknown code", { code: "ac_nope" }, "not valid"],
  ])("is refused with %s", async (_, over, message) => {
    const { code } = await setup();
    await expect(redeem((over as { code?: string }).code ?? code, over)).rejects.toMatchObject({
      error: "invalid_grant",
      description: expect.stringContaining(message),
    });
  });

  it("expires", async () => {
    const { code } = await setup();
    await expect(redeem(code, {}, new Date(Date.now() + 120_000 + 1000))).rejects.toMatchObject({
      description: expect.stringContaining("expired"),
    });
  });

  it("without PKCE refuses a verifier (downgrade) and gives no refresh token without offline_access", async () => {
    const { code } = await setup("scim:read", false);
    await expect(redeem(code)).rejects.toMatchObject({ description: expect.stringContaining("had no code_challenge") });
    const again = await setup("scim:read", false);
    const tokens = await redeem(again.code, { codeVerifier: null });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.scope).toBe("scim:read");
  });
});

describe("refresh tokens", () => {
  it("rotate; reusing an old one revokes the whole grant", async () => {
    const { orgId, code } = await setup();
    const first = await redeem(code);
    const second = await refresh(h.db, { clientId: "okta", refreshToken: first.refresh_token! });
    expect(second.refresh_token).not.toBe(first.refresh_token);
    await expect(authenticateScim(h.db, orgId, `Bearer ${second.access_token}`)).resolves.toMatchObject({ orgId });
    const third = await refresh(h.db, { clientId: "okta", refreshToken: second.refresh_token! });
    await expect(refresh(h.db, { clientId: "okta", refreshToken: first.refresh_token! })).rejects.toMatchObject({
      error: "invalid_grant",
      description: expect.stringContaining("already used"),
    });
    // Everything of the grant is dead now, including the newest tokens.
    await expect(authenticateScim(h.db, orgId, `Bearer ${third.access_token}`)).rejects.toMatchObject({ status: 401 });
    await expect(refresh(h.db, { clientId: "okta", refreshToken: third.refresh_token! })).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("belong to their client", async () => {
    const { code } = await setup();
    const t = await redeem(code);
    await expect(refresh(h.db, { clientId: "someone-else", refreshToken: t.refresh_token! })).rejects.toMatchObject({
      description: expect.stringContaining("another client"),
    });
  });
});

describe("revocation (RFC 7009)", () => {
  it("revoking a refresh token revokes the grant; an access token alone just dies", async () => {
    const a = await setup();
    const t = await redeem(a.code);
    await revokeToken(h.db, { clientId: "okta", token: t.access_token });
    await expect(authenticateScim(h.db, a.orgId, `Bearer ${t.access_token}`)).rejects.toMatchObject({ status: 401 });
    const t2 = await refresh(h.db, { clientId: "okta", refreshToken: t.refresh_token! });
    await revokeToken(h.db, { clientId: "okta", token: t2.refresh_token! });
    await expect(authenticateScim(h.db, a.orgId, `Bearer ${t2.access_token}`)).rejects.toMatchObject({ status: 401 });
    const [grant] = await h.db.select().from(oauthGrants).where(eq(oauthGrants.orgId, a.orgId));
    expect(grant!.revokedAt).not.toBeNull();
    // Unknown tokens and other clients' tokens are ignored without error.
    await revokeToken(h.db, { clientId: "okta", token: "at_unknown" });
  });
});

describe("connected apps in the audit trail", () => {
  const okta = () => getEnv().oauthClients[0]!;
  async function org() {
    const email = `apps.${uniqueSuffix()}@example.com`;
    const { org, ownerAccountId } = await createOrganization(h.db, { name: "Apps Co", ownerEmail: email, ownerPassword: "password-123" });
    await setScimEnabled(h.db, org.id, true, SYSTEM_ACTOR);
    return { orgId: org.id, owner: { id: ownerAccountId, email } };
  }
  const install = (orgId: string, owner: { id: string; email: string }) =>
    authorizeInstall(h.db, testWebActor(owner), {
      clientId: okta().id,
      orgId,
      accountId: owner.id,
      redirectUri: REDIRECT,
      scope: "scim:read scim:write offline_access",
      codeChallenge: s256(VERIFIER),
      codeChallengeMethod: "S256",
    });
  const appEvents = async (orgId: string) => (await auditEventsOf(h.db, orgId)).filter((e) => e.action.startsWith("oauth_app."));

  it("Authorize & Install records the connection by the client's name; revoking the app from the SCIM page records that, once", async () => {
    const { orgId, owner } = await org();
    expect(okta().name).not.toBe(okta().id); // the label below is the name, not the id
    const code = await install(orgId, owner);
    const connected = await appEvents(orgId);
    expect(connected).toMatchObject([
      {
        action: "oauth_app.connected",
        ...byWeb(owner),
        targetType: "oauth_app",
        targetId: okta().id,
        targetLabel: okta().name,
        details: { scope: "scim:read scim:write offline_access", redirectUri: REDIRECT },
      },
    ]);
    expect(JSON.stringify(connected)).not.toContain(code);

    const tokens = await redeemCode(h.db, { clientId: okta().id, code, redirectUri: REDIRECT, codeVerifier: VERIFIER });
    const [grant] = await h.db.select().from(oauthGrants).where(eq(oauthGrants.orgId, orgId));
    expect(await revokeApp(h.db, testWebActor(owner), orgId, grant!.id)).toBe(true);
    expect(await revokeApp(h.db, testWebActor(owner), orgId, grant!.id)).toBe(false); // already revoked: nothing recorded
    await expect(authenticateScim(h.db, orgId, `Bearer ${tokens.access_token}`)).rejects.toMatchObject({ status: 401 });
    const events = await appEvents(orgId);
    expect(events.map((e) => e.action)).toEqual(["oauth_app.connected", "oauth_app.revoked"]);
    expect(events[1]).toMatchObject({
      ...byWeb(owner),
      targetType: "oauth_app",
      targetId: okta().id,
      targetLabel: okta().name,
      details: { grantId: grant!.id },
    });
    expect(JSON.stringify(events)).not.toContain(tokens.access_token);
  });

  it("an admin of another org can neither revoke the app nor leave an event in either org", async () => {
    const [a, b] = [await org(), await org()];
    await redeemCode(h.db, { clientId: okta().id, code: await install(a.orgId, a.owner), redirectUri: REDIRECT, codeVerifier: VERIFIER });
    const [grant] = await h.db.select().from(oauthGrants).where(eq(oauthGrants.orgId, a.orgId));
    expect(await revokeApp(h.db, testWebActor(b.owner), b.orgId, grant!.id)).toBe(false);
    expect((await appEvents(a.orgId)).map((e) => e.action)).toEqual(["oauth_app.connected"]);
    expect(await appEvents(b.orgId)).toEqual([]);
  });
});

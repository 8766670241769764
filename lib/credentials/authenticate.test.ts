import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { oauthGrants, oauthTokens, scimTokens } from "@/db/schema";
import { hashSecret, newSecret } from "@/lib/auth/secrets";
import { authenticateScim } from "@/lib/credentials/authenticate";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { createScimToken, revokeScimToken } from "@/lib/credentials/scim-tokens";
import { h, scimOrg, withScimDatabase } from "@/lib/provisioning/test-harness";

// Credential checks through the SCIM endpoint on a real database.
withScimDatabase();

describe("authenticateScim", () => {
  it("accepts a live token for its org only, and explains every refusal", async () => {
    const a = await scimOrg();
    const b = await scimOrg();
    await expect(authenticateScim(h.db, a.orgId, `Bearer ${a.token}`)).resolves.toMatchObject({ kind: "scim_token", orgId: a.orgId });
    await expect(authenticateScim(h.db, a.orgId, a.token)).resolves.toMatchObject({ kind: "scim_token" });
    await expect(authenticateScim(h.db, b.orgId, `Bearer ${a.token}`)).rejects.toMatchObject({
      status: 401,
      detail: expect.stringContaining("another organization"),
    });
    await expect(authenticateScim(h.db, a.orgId, null)).rejects.toMatchObject({ status: 401 });
    await expect(authenticateScim(h.db, a.orgId, "Bearer scimsk_forged")).rejects.toMatchObject({ status: 401 });

    const expiring = await createScimToken(h.db, SYSTEM_ACTOR, { orgId: a.orgId, name: "soon", expiresAt: new Date(Date.now() + 1000) });
    await expect(authenticateScim(h.db, a.orgId, `Bearer ${expiring.token}`, new Date(Date.now() + 5000))).rejects.toMatchObject({
      status: 401,
      detail: expect.stringContaining("expired"),
    });
    await revokeScimToken(h.db, SYSTEM_ACTOR, a.orgId, a.tokenId);
    await expect(authenticateScim(h.db, a.orgId, `Bearer ${a.token}`)).rejects.toMatchObject({
      status: 401,
      detail: expect.stringContaining("revoked"),
    });

    const off = await scimOrg(false);
    await expect(authenticateScim(h.db, off.orgId, `Bearer ${off.token}`)).rejects.toMatchObject({ status: 403 });
    const [stored] = await h.db.select().from(scimTokens).where(eq(scimTokens.id, off.tokenId));
    expect(stored!.tokenHash).toBe(hashSecret(off.token));
    expect(JSON.stringify(stored)).not.toContain(off.token);
  });

  it("accepts OAuth access tokens of a live grant, and refuses them once the grant is revoked", async () => {
    const a = await scimOrg();
    const [grant] = await h.db
      .insert(oauthGrants)
      .values({ orgId: a.orgId, clientId: "okta", scope: "scim", authorizedBy: a.ownerAccountId })
      .returning();
    const access = newSecret("at_");
    const refresh = newSecret("rt_");
    await h.db.insert(oauthTokens).values([
      { tokenHash: hashSecret(access), grantId: grant!.id, kind: "access", expiresAt: new Date(Date.now() + 3600_000) },
      { tokenHash: hashSecret(refresh), grantId: grant!.id, kind: "refresh" },
    ]);
    await expect(authenticateScim(h.db, a.orgId, `Bearer ${access}`)).resolves.toMatchObject({ kind: "oauth", credentialId: grant!.id });
    await expect(authenticateScim(h.db, a.orgId, `Bearer ${refresh}`)).rejects.toMatchObject({ status: 401 }); // a refresh token is not an access token
    await h.db.update(oauthGrants).set({ revokedAt: new Date() }).where(eq(oauthGrants.id, grant!.id));
    await expect(authenticateScim(h.db, a.orgId, `Bearer ${access}`)).rejects.toMatchObject({ status: 401 });
  });
});

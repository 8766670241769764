import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { oauthGrants, oauthTokens, provisioningEvents, scimTokens } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { hashSecret, newSecret } from "@/lib/auth/secrets";
import { createOrganization } from "@/lib/orgs/create-organization";
import { setScimEnabled } from "@/lib/orgs/set-scim-enabled";
import { authenticateScim } from "@/lib/scim/authenticate";
import { createScimToken, revokeScimToken } from "@/lib/scim/tokens";
import { handleScimRequest } from "./handler";
import { flushProvisioningLog, pruneLog, recentEvents } from "./log";

// The SCIM endpoint's handler on a real database: credentials and the provisioning log.
const slot = globalThis as unknown as { __portalDb?: Promise<DatabaseHandle> };
let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
  slot.__portalDb = Promise.resolve(h);
});
afterAll(async () => {
  slot.__portalDb = undefined;
  await h?.close();
});

async function scimOrg(enabled = true) {
  const { org, ownerAccountId } = await createOrganization(h.db, { name: "Log Co", ownerEmail: `o.${uniqueSuffix()}@example.com`, ownerPassword: "password-123" });
  if (enabled) await setScimEnabled(h.db, org.id, true, ownerAccountId);
  const { token, id } = await createScimToken(h.db, { orgId: org.id, name: "test" });
  return { orgId: org.id, token, tokenId: id, ownerAccountId };
}

function call(orgId: string, token: string | null, method: string, path: string, body?: unknown) {
  const segments = path.split("?")[0]!.split("/").filter(Boolean);
  const req = new Request(`http://localhost/scim/v2.0/organizations/${orgId}/${path.replace(/^\//, "")}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return handleScimRequest(req, orgId, segments);
}

describe("authenticateScim", () => {
  it("accepts a live token for its org only, and explains every refusal", async () => {
    const a = await scimOrg();
    const b = await scimOrg();
    await expect(authenticateScim(h.db, a.orgId, `Bearer ${a.token}`)).resolves.toMatchObject({ kind: "scim_token", orgId: a.orgId });
    await expect(authenticateScim(h.db, a.orgId, a.token)).resolves.toMatchObject({ kind: "scim_token" });
    await expect(authenticateScim(h.db, b.orgId, `Bearer ${a.token}`)).rejects.toMatchObject({ status: 401, detail: expect.stringContaining("another organization") });
    await expect(authenticateScim(h.db, a.orgId, null)).rejects.toMatchObject({ status: 401 });
    await expect(authenticateScim(h.db, a.orgId, "Bearer scimsk_forged")).rejects.toMatchObject({ status: 401 });

    const expiring = await createScimToken(h.db, { orgId: a.orgId, name: "soon", expiresAt: new Date(Date.now() + 1000) });
    await expect(authenticateScim(h.db, a.orgId, `Bearer ${expiring.token}`, new Date(Date.now() + 5000))).rejects.toMatchObject({ status: 401, detail: expect.stringContaining("expired") });
    await revokeScimToken(h.db, a.orgId, a.tokenId);
    await expect(authenticateScim(h.db, a.orgId, `Bearer ${a.token}`)).rejects.toMatchObject({ status: 401, detail: expect.stringContaining("revoked") });

    const off = await scimOrg(false);
    await expect(authenticateScim(h.db, off.orgId, `Bearer ${off.token}`)).rejects.toMatchObject({ status: 403 });
    const [stored] = await h.db.select().from(scimTokens).where(eq(scimTokens.id, off.tokenId));
    expect(stored!.tokenHash).toBe(hashSecret(off.token));
    expect(JSON.stringify(stored)).not.toContain(off.token);
  });

  it("accepts OAuth access tokens of a live grant, and refuses them once the grant is revoked", async () => {
    const a = await scimOrg();
    const [grant] = await h.db.insert(oauthGrants).values({ orgId: a.orgId, clientId: "okta", scope: "scim", authorizedBy: a.ownerAccountId }).returning();
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

describe("provisioning log", () => {
  it("records each request with its result, a redacted body and the access it changed", async () => {
    const a = await scimOrg();
    const created = await call(a.orgId, a.token, "POST", "/Users", { userName: "log.me@example.com", password: "hunter2-secret", emails: [{ value: "log.me@example.com" }] });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string };
    const dup = await call(a.orgId, a.token, "POST", "/Users", { userName: "LOG.ME@example.com" });
    expect(dup.status).toBe(409);
    const off = await call(a.orgId, a.token, "PATCH", `/Users/${user.id}`, { Operations: [{ op: "replace", value: { active: false } }] });
    expect(off.status).toBe(200);
    expect((await call(a.orgId, null, "GET", "/Users")).status).toBe(401); // not attributable: not in the org's log

    await flushProvisioningLog();
    const events = await recentEvents(h.db, a.orgId);
    expect(events.map((e) => `${e.method} ${e.status}`)).toEqual(["PATCH 200", "POST 409", "POST 201"]);
    const [patch, conflict, post] = events;
    expect(post).toMatchObject({ path: "/Users", resourceType: "User", resourceId: user.id, credentialKind: "scim_token", credentialId: a.tokenId });
    expect(JSON.stringify(post!.request)).not.toContain("hunter2");
    expect((post!.request as Record<string, unknown>).password).toBe("[redacted]");
    expect(post!.accessChanges).toMatchObject({ membership: "joined" });
    expect(conflict!.errorDetail).toContain("already exists");
    expect(patch!.accessChanges).toMatchObject({ membership: "removed", removedRole: "member" });
    expect(patch!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("is bounded per organization", async () => {
    const a = await scimOrg();
    for (let i = 0; i < 12; i++) await call(a.orgId, a.token, "GET", `/Users?count=1&i=${i}`);
    await flushProvisioningLog();
    expect(await pruneLog(h.db, a.orgId, 5)).toBe(7);
    const left = await h.db.select().from(provisioningEvents).where(eq(provisioningEvents.orgId, a.orgId));
    expect(left.map((e) => e.path)).toEqual(Array.from({ length: 5 }, (_, k) => `/Users?count=1&i=${k + 7}`));
  });

  it("an unexpected failure is a generic SCIM 500 that leaks nothing", async () => {
    const a = await scimOrg();
    const real = h.db.transaction.bind(h.db);
    (h.db as { transaction: unknown }).transaction = () => Promise.reject(new Error("relation secret_table does not exist"));
    try {
      const res = await call(a.orgId, a.token, "POST", "/Users", { userName: "boom@example.com" });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain("secret_table");
      expect(JSON.parse(text)).toMatchObject({ status: "500", schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"] });
    } finally {
      (h.db as { transaction: unknown }).transaction = real;
    }
  });
});

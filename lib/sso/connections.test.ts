import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { auditEventsOf, byWeb, testWebActor } from "@/lib/audit/test-support";
import { createOrganization } from "@/lib/orgs/create-organization";
import { configureSso, disableSso, recordSsoCheck, setRequireSso } from "./connections";

// The Single sign-on page's actions, each with its audit event (issuer and client id; never the secret).
let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(async () => {
  await h?.close();
});

const issuer = "https://idp.example.test/tenant";

describe("single sign-on settings in the audit trail", () => {
  it("configured, changed, required, optional, disabled: one event each, never with the secret", async () => {
    const email = `sso.${uniqueSuffix()}@example.com`;
    const { org, ownerAccountId } = await createOrganization(h.db, { name: "SSO Co", ownerEmail: email, ownerPassword: "password-123" });
    const owner = { id: ownerAccountId, email };
    const actor = testWebActor(owner);
    const secret = `very-secret-${uniqueSuffix()}`;
    const events = async () => (await auditEventsOf(h.db, org.id)).filter((e) => e.action.startsWith("sso."));
    const target = { targetType: "sso_connection", targetId: org.id, targetLabel: issuer };

    await configureSso(h.db, actor, {
      orgId: org.id,
      issuer: `${issuer}/`,
      clientId: "portal-app",
      clientSecret: secret,
      by: owner.id,
      skipDiscovery: true,
    });
    expect(await events()).toMatchObject([{ action: "sso.configured", ...byWeb(owner), ...target }]);
    expect((await events())[0]!.details).toEqual({ issuer, clientId: "portal-app", secretChanged: true, emailAuthoritative: false });

    // A new client id, the secret kept as it was.
    await configureSso(h.db, actor, {
      orgId: org.id,
      issuer,
      clientId: "portal-app-2",
      emailAuthoritative: true,
      by: owner.id,
      skipDiscovery: true,
    });
    expect((await events()).map((e) => e.action)).toEqual(["sso.configured", "sso.changed"]);
    expect((await events())[1]).toMatchObject({ ...byWeb(owner), ...target });
    expect((await events())[1]!.details).toEqual({
      issuer,
      clientId: "portal-app-2",
      secretChanged: false,
      emailAuthoritative: true,
      before: { issuer, clientId: "portal-app" },
    });

    // Require SSO is refused until a round trip worked: nothing recorded.
    await expect(setRequireSso(h.db, actor, org.id, true, owner.id)).rejects.toThrow(/Test sign-in/);
    expect(await events()).toHaveLength(2);
    await recordSsoCheck(h.db, org.id, { ok: true });
    await setRequireSso(h.db, actor, org.id, true, owner.id);
    await setRequireSso(h.db, actor, org.id, false, owner.id);
    expect(await disableSso(h.db, actor, org.id)).toBe(true);
    expect(await disableSso(h.db, actor, org.id)).toBe(false); // nothing left to turn off: nothing recorded

    const all = await events();
    expect(all.map((e) => e.action)).toEqual(["sso.configured", "sso.changed", "sso.required", "sso.optional", "sso.disabled"]);
    for (const e of all.slice(2)) expect(e).toMatchObject({ ...byWeb(owner), ...target });
    expect(all.slice(2).map((e) => e.details)).toEqual([
      { issuer, clientId: "portal-app-2", wasRequired: false },
      { issuer, clientId: "portal-app-2", wasRequired: true },
      { issuer, clientId: "portal-app-2", wasRequired: false },
    ]);
    expect(JSON.stringify(all)).not.toContain(secret);
    expect(JSON.stringify(all)).not.toContain("v1."); // nor the sealed secret
  });
});

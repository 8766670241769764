import { describe, expect, it } from "vitest";
import { auditEventsOf, byWeb, orgWithOwner, testWebActor } from "@/lib/audit/test-support";
import { h, withScimDatabase } from "@/lib/provisioning/test-harness";
import { createScimToken, listScimTokens, revokeScimToken } from "./scim-tokens";

// SCIM secret tokens made and revoked as the SCIM page's actions do, each with its audit event.
withScimDatabase();
const setup = () => orgWithOwner(h.db, "Token Co");

describe("SCIM secret tokens in the audit trail", () => {
  it("a created token is recorded by name and prefix, never by its secret; revoking it is recorded once", async () => {
    const { orgId, owner } = await setup();
    expect(await auditEventsOf(h.db, orgId)).toEqual([]);
    const expiresAt = new Date(Date.now() + 30 * 86_400_000);
    const created = await createScimToken(h.db, testWebActor(owner), { orgId, name: "Entra ID", createdBy: owner.id, expiresAt });

    const afterCreate = await auditEventsOf(h.db, orgId);
    expect(afterCreate).toMatchObject([
      {
        action: "scim_token.created",
        ...byWeb(owner),
        targetType: "token",
        targetId: created.id,
        targetLabel: "Entra ID",
        details: { prefix: created.prefix, expiresAt: expiresAt.toISOString() },
      },
    ]);
    expect(JSON.stringify(afterCreate)).not.toContain(created.token);
    expect(JSON.stringify(afterCreate)).not.toContain(created.token.slice(created.prefix.length));

    expect(await revokeScimToken(h.db, testWebActor(owner), orgId, created.id)).toBe(true);
    // Already revoked: nothing to revoke, nothing recorded.
    expect(await revokeScimToken(h.db, testWebActor(owner), orgId, created.id)).toBe(false);
    const events = await auditEventsOf(h.db, orgId);
    expect(events.map((e) => e.action)).toEqual(["scim_token.created", "scim_token.revoked"]);
    expect(events[1]).toMatchObject({
      ...byWeb(owner),
      targetType: "token",
      targetId: created.id,
      targetLabel: "Entra ID",
      details: { prefix: created.prefix },
    });
    expect(JSON.stringify(events)).not.toContain(created.token);
    expect((await listScimTokens(h.db, orgId))[0]!.revokedAt).not.toBeNull();
  });

  it("another org's token is neither revoked nor recorded in either org", async () => {
    const [a, b] = [await setup(), await setup()];
    const token = await createScimToken(h.db, testWebActor(a.owner), { orgId: a.orgId, name: "Okta" });
    expect(await revokeScimToken(h.db, testWebActor(b.owner), b.orgId, token.id)).toBe(false);
    expect((await auditEventsOf(h.db, a.orgId)).map((e) => e.action)).toEqual(["scim_token.created"]);
    expect(await auditEventsOf(h.db, b.orgId)).toEqual([]);
    expect((await listScimTokens(h.db, a.orgId))[0]!.revokedAt).toBeNull();
  });
});

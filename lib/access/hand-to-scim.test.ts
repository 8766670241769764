import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accounts, groupMappings, memberships } from "@/db/schema";
import { uniqueSuffix } from "@/db/test-support";
import { auditEventsOf, byWeb, testWebActor } from "@/lib/audit/test-support";
import { call, h, scimOrg, withScimDatabase } from "@/lib/provisioning/test-harness";
import { handOverOf, handToScim } from "./hand-to-scim";

// A member made in the portal is not taken over by SCIM until an Owner or Admin hands them to it.
withScimDatabase();

async function membership(orgId: string, accountId: string) {
  const [m] = await h.db
    .select({ role: memberships.role, scimManaged: memberships.scimManaged })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.accountId, accountId)));
  return m ?? null;
}

describe("a member made in the portal, then provisioned", () => {
  it("keeps the role given by hand through SCIM's changes and deactivation, until handed to SCIM", async () => {
    const org = await scimOrg();
    const email = `hand.admin.${uniqueSuffix()}@example.com`;
    const [account] = await h.db.insert(accounts).values({ email, name: "Hand Admin" }).returning();
    await h.db.insert(memberships).values({ orgId: org.orgId, accountId: account!.id, role: "admin", scimManaged: false });

    // The IdP provisions them and puts them in a group mapped to Member.
    const user = (await (await call(org.orgId, org.token, "POST", "/Users", { userName: email, active: true })).json()) as { id: string };
    const group = (await (await call(org.orgId, org.token, "POST", "/Groups", { displayName: `Staff ${uniqueSuffix()}` })).json()) as {
      id: string;
    };
    await h.db.insert(groupMappings).values({ groupId: group.id, orgId: org.orgId, orgRole: "member", updatedBy: org.ownerAccountId });
    const add = { Operations: [{ op: "add", path: "members", value: [{ value: user.id }] }] };
    expect((await call(org.orgId, org.token, "PATCH", `/Groups/${group.id}`, add)).status).toBe(204);
    expect(await membership(org.orgId, account!.id)).toEqual({ role: "admin", scimManaged: false });
    expect(await handOverOf(h.db, org.orgId, account!.id)).toEqual({ role: "admin", scimRole: "member" });

    // Deactivated and reactivated by the IdP: still there, still Admin.
    for (const active of [false, true]) {
      const res = await call(org.orgId, org.token, "PATCH", `/Users/${user.id}`, { Operations: [{ op: "replace", value: { active } }] });
      expect(res.status).toBe(200);
      expect(await membership(org.orgId, account!.id)).toEqual({ role: "admin", scimManaged: false });
    }

    // Handed to SCIM by the Owner: the role follows the groups at once (recorded), and deactivation now removes them.
    const [ownerRow] = await h.db.select().from(accounts).where(eq(accounts.id, org.ownerAccountId));
    const owner = { id: ownerRow!.id, email: ownerRow!.email };
    const handOvers = async () => (await auditEventsOf(h.db, org.orgId)).filter((e) => e.action === "member.handed_to_scim");
    expect(await handOvers()).toEqual([]);
    const changes = await handToScim(h.db, testWebActor(owner), org.orgId, account!.id);
    expect(changes.roleChanges).toBe(1);
    expect(await handOvers()).toMatchObject([
      {
        ...byWeb(owner),
        targetType: "member",
        targetId: account!.id,
        targetLabel: email,
        details: { roleBefore: "admin", roleAfter: "member" },
      },
    ]);
    expect(await membership(org.orgId, account!.id)).toEqual({ role: "member", scimManaged: true });
    expect(await handOverOf(h.db, org.orgId, account!.id)).toBeNull();
    await call(org.orgId, org.token, "PATCH", `/Users/${user.id}`, { Operations: [{ op: "replace", value: { active: false } }] });
    expect(await membership(org.orgId, account!.id)).toBeNull();
    await expect(handToScim(h.db, testWebActor(owner), org.orgId, account!.id)).rejects.toThrow(/nothing to hand over/);
    expect(await handOvers()).toHaveLength(1);
  });

  it("SCIM never renames an account, so an account in another organization keeps its name", async () => {
    const [a, b] = [await scimOrg(), await scimOrg()];
    const email = `two.orgs.${uniqueSuffix()}@example.com`;
    const [account] = await h.db.insert(accounts).values({ email, name: "Chosen Name" }).returning();
    await h.db.insert(memberships).values({ orgId: a.orgId, accountId: account!.id, role: "member", scimManaged: false });
    const created = await call(b.orgId, b.token, "POST", "/Users", { userName: email, displayName: "IdP Name", active: true });
    const { id } = (await created.json()) as { id: string };
    await call(b.orgId, b.token, "PUT", `/Users/${id}`, { userName: email, displayName: "Another IdP Name", name: { givenName: "X" } });
    const [after] = await h.db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, account!.id));
    expect(after!.name).toBe("Chosen Name");
  });
});

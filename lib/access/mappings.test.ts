import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { memberships, stackAccess, stackRoles } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { createOrganization } from "@/lib/orgs/create-organization";
import { findAccountByEmail } from "@/lib/orgs/accounts";
import { createGroup } from "@/lib/provisioning/groups";
import { createUser, type Ctx } from "@/lib/provisioning/users";
import { createStack } from "@/lib/stacks/create-stack";
import { listMappings, previewMapping, removeMapping, saveMapping, searchGroups } from "./mappings";

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(async () => {
  await h?.close();
});
const none = { attributes: [], excludedAttributes: [] };

async function setup(people: number) {
  const { org, ownerAccountId } = await createOrganization(h.db, {
    name: "Map Co",
    ownerEmail: `o.${uniqueSuffix()}@example.com`,
    ownerPassword: "password-123",
  });
  const ctx: Ctx = { db: h.db, orgId: org.id, base: "http://localhost/scim" };
  const [dev, web] = await h.db.transaction(async (tx) => [
    await createStack(tx, org.id, "Developer stack"),
    await createStack(tx, org.id, "Marketing site"),
  ]);
  const roles = await h.db.select().from(stackRoles);
  const role = (stackId: string, name: string) => roles.find((r) => r.stackId === stackId && r.name === name)!.id;
  const ids: string[] = [];
  for (let i = 0; i < people; i++) ids.push((await createUser(ctx, { userName: `u${i}.${uniqueSuffix()}@acme.com` }, none)).resourceId!);
  return { orgId: org.id, ownerAccountId, ctx, dev: dev!, web: web!, role, ids };
}

describe("group mappings", () => {
  it("preview says whom a mapping changes, save applies exactly that, and the preview is then empty", async () => {
    const s = await setup(5);
    const eng = (await createGroup(s.ctx, { displayName: "Engineering", members: s.ids.slice(0, 3).map((value) => ({ value })) }, none))
      .resourceId!;
    const mkt = (await createGroup(s.ctx, { displayName: "Marketing", members: s.ids.slice(2).map((value) => ({ value })) }, none))
      .resourceId!;
    await saveMapping(
      h.db,
      s.orgId,
      { groupId: mkt, orgRole: "member", stackRoles: { [s.dev.id]: s.role(s.dev.id, "Content Manager") } },
      s.ownerAccountId,
    );

    const input = { groupId: eng, orgRole: "admin" as const, stackRoles: { [s.web.id]: s.role(s.web.id, "Developer"), [s.dev.id]: null } };
    const preview = await previewMapping(h.db, s.orgId, input);
    expect(preview).toEqual({
      people: 3,
      affected: 3,
      roleChanges: [{ to: "admin", count: 3 }],
      stackChanges: [{ stack: "Marketing site", role: "Developer", gained: 3, lost: 0 }],
    });
    const applied = await saveMapping(h.db, s.orgId, input, s.ownerAccountId);
    expect(applied).toMatchObject({ roleChanges: 3, stackGrants: 3, stackRevocations: 0 });
    expect(await previewMapping(h.db, s.orgId, input)).toMatchObject({ people: 3, affected: 0, roleChanges: [], stackChanges: [] });

    // Moving Engineering's stack role: 3 lose Developer on Marketing site, 3 gain Admin on it.
    const moved = await previewMapping(h.db, s.orgId, { ...input, stackRoles: { [s.web.id]: s.role(s.web.id, "Admin") } });
    expect(moved.stackChanges).toEqual([
      { stack: "Marketing site", role: "Admin", gained: 3, lost: 0 },
      { stack: "Marketing site", role: "Developer", gained: 0, lost: 3 },
    ]);

    // Dropping Engineering to Member demotes only those not made Admin by another group.
    expect((await previewMapping(h.db, s.orgId, { ...input, orgRole: "member" })).roleChanges).toEqual([{ to: "member", count: 3 }]);

    const listed = await listMappings(h.db, s.orgId);
    expect(listed.map((m) => [m.group, m.orgRole, m.stackRoles.map((r) => `${r.stack}:${r.role}`)])).toEqual([
      ["Engineering", "admin", ["Marketing site:Developer"]],
      ["Marketing", "member", ["Developer stack:Content Manager"]],
    ]);

    const removed = await removeMapping(h.db, s.orgId, eng, s.ownerAccountId);
    expect(removed).toMatchObject({ roleChanges: 3, stackRevocations: 3 });
    const acc = await findAccountByEmail(
      h.db,
      (await h.db.query.scimUsers.findFirst({ where: (u, { eq: e }) => e(u.id, s.ids[2]!) }))!.userName,
    );
    const [m] = await h.db
      .select()
      .from(memberships)
      .where(and(eq(memberships.orgId, s.orgId), eq(memberships.accountId, acc!.id)));
    expect(m!.role).toBe("member");
    const left = await h.db
      .select()
      .from(stackAccess)
      .where(and(eq(stackAccess.orgId, s.orgId), eq(stackAccess.accountId, acc!.id)));
    expect(left).toHaveLength(1); // Content Manager on Developer stack, from Marketing
  });

  it("refuses roles of another org's stacks and unknown groups", async () => {
    const a = await setup(0);
    const b = await setup(0);
    const g = (await createGroup(a.ctx, { displayName: "G", members: [] }, none)).resourceId!;
    await expect(
      saveMapping(
        h.db,
        a.orgId,
        { groupId: g, orgRole: "member", stackRoles: { [b.dev.id]: b.role(b.dev.id, "Admin") } },
        a.ownerAccountId,
      ),
    ).rejects.toThrow(/no longer exists/);
    await expect(
      previewMapping(h.db, a.orgId, { groupId: "00000000-0000-4000-8000-000000000000", orgRole: "member", stackRoles: {} }),
    ).rejects.toThrow(/does not exist/);
  });

  it("searches groups by name, prefix matches first", async () => {
    const s = await setup(0);
    for (const n of ["Sales EMEA", "Engineering", "Presales", "Sales"]) await createGroup(s.ctx, { displayName: n, members: [] }, none);
    expect((await searchGroups(h.db, s.orgId, "sales")).map((g) => g.displayName)).toEqual(["Sales", "Sales EMEA", "Presales"]);
    expect((await searchGroups(h.db, s.orgId, "%")).length).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { findAccountByEmail } from "@/lib/orgs/accounts";
import { createGroup } from "@/lib/provisioning/groups";
import { stackGrantsOf, stackPeople } from "./grants";
import { none, withMappingDatabase } from "./mapping-test-support";
import { previewMapping, saveMapping } from "./mappings";

// A change of what one group gives, by the group-level rules of group-change.ts, where people are in other groups too.
const h = withMappingDatabase();
const setup = h.setup;

describe("a change of one group", () => {
  it("a change of one group keeps what the person's other groups give: their Admin role and their stack roles", async () => {
    const s = await setup(4);
    const dev = s.role(s.dev.id, "Developer");
    const group = async (name: string, members: string[]) =>
      (await createGroup(s.ctx, { displayName: name, members: members.map((value) => ({ value })) }, none)).resourceId!;
    const both = s.ids.slice(0, 2); // in Eng and in Ops
    const eng = await group("Eng", s.ids.slice(0, 3));
    const ops = await group("Ops", both);
    const save = (groupId: string, orgRole: "admin" | "member", stackRoles: Record<string, string | null>) =>
      saveMapping(h.db, SYSTEM_ACTOR, s.orgId, { groupId, orgRole, stackRoles }, s.ownerAccountId);
    expect(await save(ops, "admin", { [s.dev.id]: dev })).toMatchObject({ roleChanges: 2, stackGrants: 2 });
    // Eng gives the same as Ops: only its third member gains anything.
    expect(await save(eng, "admin", { [s.dev.id]: dev })).toMatchObject({ roleChanges: 1, stackGrants: 1, stackRevocations: 0 });

    const accountOf = async (userId: string) =>
      (await findAccountByEmail(h.db, (await h.db.query.scimUsers.findFirst({ where: (u, { eq: e }) => e(u.id, userId) }))!.userName))!.id;
    const roleOf = async (accountId: string) =>
      (await h.db.query.memberships.findFirst({
        where: (m, { and: a, eq: e }) => a(e(m.orgId, s.orgId), e(m.accountId, accountId)),
      }))!.role;
    const [a0, a2] = [await accountOf(s.ids[0]!), await accountOf(s.ids[2]!)];

    // Eng back to Member without stack roles: the third member loses both; Ops keeps the first two as they were.
    const back = { groupId: eng, orgRole: "member" as const, stackRoles: { [s.dev.id]: null } };
    expect(await previewMapping(h.db, s.orgId, back)).toEqual({
      people: 3,
      inactive: 0,
      affected: 1,
      roleChanges: [{ to: "member", count: 1 }],
      stackChanges: [{ stack: "Developer stack", role: "Developer", gained: 0, lost: 1 }],
    });
    const applied = await save(eng, "member", { [s.dev.id]: null });
    expect(applied).toMatchObject({ roleChanges: 1, stackGrants: 0, stackRevocations: 1, accounts: [a2] });
    expect([await roleOf(a0), await roleOf(a2)]).toEqual(["admin", "member"]);
    expect((await stackGrantsOf(h.db, s.orgId, a0)).map((g) => `${g.role} on ${g.stack} (${g.source})`)).toEqual([
      "Developer on Developer stack (scim)",
    ]);
    expect(await stackGrantsOf(h.db, s.orgId, a2)).toEqual([]);
    // Read from the mappings, not stored: the stacks page counts the two people Ops gives a role.
    expect(await h.db.query.stackAccess.findMany({ where: (x, { eq: e }) => e(x.orgId, s.orgId) })).toEqual([]);
    expect(await stackPeople(h.db, s.orgId)).toEqual(new Map([[s.dev.id, 2]]));
  });
});

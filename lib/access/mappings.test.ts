import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships } from "@/db/schema";
import { stackGrantsOf, stackPeople } from "./grants";
import { uniqueSuffix } from "@/db/test-support";
import { SYSTEM_ACTOR, type AuditActor } from "@/lib/audit/record";
import { auditEventsOf, byWeb, testWebActor } from "@/lib/audit/test-support";
import { findAccountByEmail } from "@/lib/orgs/accounts";
import { createGroup } from "@/lib/provisioning/groups";
import { listMappings, searchGroups } from "./mapping-lists";
import { previewMapping, removeMapping, saveMapping } from "./mappings";
import { none, withMappingDatabase } from "./mapping-test-support";

const h = withMappingDatabase();
const setup = h.setup;

describe("group mappings", () => {
  it("preview says whom a mapping changes, save applies exactly that, and the preview is then empty", async () => {
    const s = await setup(5);
    const eng = (await createGroup(s.ctx, { displayName: "Engineering", members: s.ids.slice(0, 3).map((value) => ({ value })) }, none))
      .resourceId!;
    const mkt = (await createGroup(s.ctx, { displayName: "Marketing", members: s.ids.slice(2).map((value) => ({ value })) }, none))
      .resourceId!;
    await saveMapping(
      h.db,
      SYSTEM_ACTOR,
      s.orgId,
      { groupId: mkt, orgRole: "member", stackRoles: { [s.dev.id]: s.role(s.dev.id, "Content Manager") } },
      s.ownerAccountId,
    );

    const input = { groupId: eng, orgRole: "admin" as const, stackRoles: { [s.web.id]: s.role(s.web.id, "Developer"), [s.dev.id]: null } };
    const preview = await previewMapping(h.db, s.orgId, input);
    expect(preview).toEqual({
      people: 3,
      inactive: 0,
      affected: 3,
      roleChanges: [{ to: "admin", count: 3 }],
      stackChanges: [{ stack: "Marketing site", role: "Developer", gained: 3, lost: 0 }],
    });
    const applied = await saveMapping(h.db, SYSTEM_ACTOR, s.orgId, input, s.ownerAccountId);
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

    const removed = await removeMapping(h.db, SYSTEM_ACTOR, s.orgId, eng);
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
    const left = await stackGrantsOf(h.db, s.orgId, acc!.id);
    expect(left).toHaveLength(1); // Content Manager on Developer stack, from Marketing
  });

  it("refuses roles of another org's stacks and unknown groups", async () => {
    const a = await setup(0);
    const b = await setup(0);
    const g = (await createGroup(a.ctx, { displayName: "G", members: [] }, none)).resourceId!;
    await expect(
      saveMapping(
        h.db,
        SYSTEM_ACTOR,
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

describe("group mappings in the audit trail", () => {
  const mappingEvents = async (orgId: string) => (await auditEventsOf(h.db, orgId)).filter((e) => e.action.startsWith("mapping."));
  const roleOf = async (orgId: string, userId: string) => {
    const user = await h.db.query.scimUsers.findFirst({ where: (u, { eq: e }) => e(u.id, userId) });
    const [m] = await h.db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.accountId, user!.accountId)));
    return m?.role;
  };

  it("created, changed, removed: one event each, with the org role and stack roles before and after and the counts the save reported", async () => {
    const s = await setup(2);
    const eng = (await createGroup(s.ctx, { displayName: "Engineering", members: s.ids.map((value) => ({ value })) }, none)).resourceId!;
    const actor = testWebActor(s.owner);

    const created = await saveMapping(
      h.db,
      actor,
      s.orgId,
      { groupId: eng, orgRole: "admin", stackRoles: { [s.dev.id]: s.role(s.dev.id, "Developer") } },
      s.owner.id,
    );
    expect(created).toMatchObject({ roleChanges: 2, stackGrants: 2, stackRevocations: 0 });
    expect(await mappingEvents(s.orgId)).toMatchObject([
      { action: "mapping.created", ...byWeb(s.owner), targetType: "group", targetId: eng, targetLabel: "Engineering" },
    ]);
    expect((await mappingEvents(s.orgId))[0]!.details).toEqual({
      before: null,
      after: { orgRole: "admin", stackRoles: [{ stack: "Developer stack", role: "Developer" }] },
      roleChanges: 2,
      stackGrants: 2,
      stackRevocations: 0,
    });

    const changed = await saveMapping(
      h.db,
      actor,
      s.orgId,
      { groupId: eng, orgRole: "member", stackRoles: { [s.dev.id]: null, [s.web.id]: s.role(s.web.id, "Admin") } },
      s.owner.id,
    );
    expect(changed).toMatchObject({ roleChanges: 2, stackGrants: 2, stackRevocations: 2 });
    const afterChange = await mappingEvents(s.orgId);
    expect(afterChange.map((e) => e.action)).toEqual(["mapping.created", "mapping.changed"]);
    expect(afterChange[1]).toMatchObject({ ...byWeb(s.owner), targetType: "group", targetId: eng, targetLabel: "Engineering" });
    expect(afterChange[1]!.details).toEqual({
      before: { orgRole: "admin", stackRoles: [{ stack: "Developer stack", role: "Developer" }] },
      after: { orgRole: "member", stackRoles: [{ stack: "Marketing site", role: "Admin" }] },
      roleChanges: 2,
      stackGrants: 2,
      stackRevocations: 2,
    });

    const removed = await removeMapping(h.db, actor, s.orgId, eng);
    expect(removed).toMatchObject({ roleChanges: 0, stackGrants: 0, stackRevocations: 2 });
    const events = await mappingEvents(s.orgId);
    expect(events.map((e) => e.action)).toEqual(["mapping.created", "mapping.changed", "mapping.removed"]);
    expect(events[2]).toMatchObject({ ...byWeb(s.owner), targetType: "group", targetId: eng, targetLabel: "Engineering" });
    expect(events[2]!.details).toEqual({
      before: { orgRole: "member", stackRoles: [{ stack: "Marketing site", role: "Admin" }] },
      after: null,
      roleChanges: 0,
      stackGrants: 0,
      stackRevocations: 2,
    });
    // Removing it again is refused, and recorded nowhere.
    await expect(removeMapping(h.db, actor, s.orgId, eng)).rejects.toThrow(/no mapping/);
    expect(await mappingEvents(s.orgId)).toHaveLength(3);
  });

  it("a refused save records nothing and changes nothing", async () => {
    const [a, b] = [await setup(1), await setup(0)];
    const g = (await createGroup(a.ctx, { displayName: "Staff", members: [{ value: a.ids[0]! }] }, none)).resourceId!;
    await saveMapping(h.db, testWebActor(a.owner), a.orgId, { groupId: g, orgRole: "member", stackRoles: {} }, a.owner.id);
    await expect(
      saveMapping(
        h.db,
        testWebActor(a.owner),
        a.orgId,
        { groupId: g, orgRole: "admin", stackRoles: { [b.dev.id]: b.role(b.dev.id, "Admin") } },
        a.owner.id,
      ),
    ).rejects.toThrow(/no longer exists/);
    expect((await mappingEvents(a.orgId)).map((e) => e.action)).toEqual(["mapping.created"]);
    expect(await mappingEvents(b.orgId)).toEqual([]);
    expect((await listMappings(h.db, a.orgId)).map((m) => m.orgRole)).toEqual(["member"]);
    expect(await roleOf(a.orgId, a.ids[0]!)).toBe("member");
  });

  it("a save that fails at its commit, after its event was written, leaves no event", async () => {
    const s = await setup(1);
    const marker = `refused-at-commit-${uniqueSuffix()}`;
    const g = (await createGroup(s.ctx, { displayName: marker, members: [{ value: s.ids[0]! }] }, none)).resourceId!;
    // A deferred check that refuses this one group's mapping when its transaction commits — after every statement of
    // the save, the event's INSERT included. (Scoped to the group: other test files share a PostgreSQL database.)
    const fn = `refuse_${marker.replaceAll("-", "_")}`;
    await h.db.execute(
      sql.raw(`create function ${fn}() returns trigger language plpgsql as $$
        begin
          if new.group_id = '${g}'::uuid then raise exception 'refused at commit'; end if;
          return null;
        end $$`),
    );
    await h.db.execute(
      sql.raw(`create constraint trigger ${fn} after insert or update on group_mappings deferrable initially deferred
        for each row execute function ${fn}()`),
    );
    try {
      const input = { groupId: g, orgRole: "admin" as const, stackRoles: {} };
      await expect(saveMapping(h.db, testWebActor(s.owner), s.orgId, input, s.owner.id)).rejects.toThrow(/refused at commit/);
    } finally {
      await h.db.execute(sql.raw(`drop trigger ${fn} on group_mappings`));
      await h.db.execute(sql.raw(`drop function ${fn}()`));
    }
    expect(await mappingEvents(s.orgId)).toEqual([]);
    expect(await listMappings(h.db, s.orgId)).toEqual([]);
    expect(await roleOf(s.orgId, s.ids[0]!)).toBe("member");
  });

  it("the event is in the save's transaction: when it cannot be written, the mapping and everyone's access stay as they were", async () => {
    const s = await setup(2);
    const g = (await createGroup(s.ctx, { displayName: "Ops", members: s.ids.map((value) => ({ value })) }, none)).resourceId!;
    // An actor the table's check refuses: the event's INSERT fails after every write of the save.
    const refused = { kind: "robot" } as unknown as AuditActor;
    const input = { groupId: g, orgRole: "admin" as const, stackRoles: { [s.dev.id]: s.role(s.dev.id, "Developer") } };
    await expect(saveMapping(h.db, refused, s.orgId, input, s.owner.id)).rejects.toThrow();
    expect(await listMappings(h.db, s.orgId)).toEqual([]);
    expect(await roleOf(s.orgId, s.ids[0]!)).toBe("member");
    expect(await stackPeople(h.db, s.orgId)).toEqual(new Map());
    expect(await mappingEvents(s.orgId)).toEqual([]);
    // The same save by a person goes through, with its event.
    expect(await saveMapping(h.db, testWebActor(s.owner), s.orgId, input, s.owner.id)).toMatchObject({ roleChanges: 2, stackGrants: 2 });
    expect((await mappingEvents(s.orgId)).map((e) => e.action)).toEqual(["mapping.created"]);
  });
});

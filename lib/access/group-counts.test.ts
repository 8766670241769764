import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { stackRoles } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { createOrganization } from "@/lib/orgs/create-organization";
import { createGroup, patchGroup } from "@/lib/provisioning/groups";
import { groupDetail, groupMembersPage, groupsPage } from "@/lib/provisioning/queries";
import { createUser, patchUser, type Ctx } from "@/lib/provisioning/users";
import { createStack } from "@/lib/stacks/create-stack";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { describeMembers, describeRemoval } from "./count-words";
import { memberCounts } from "./group-counts";
import { listMappings, searchGroups } from "./mapping-lists";
import { previewMapping, saveMapping } from "./mappings";

// Counts of a group's people count those whose access is at stake (active members) and say how many more are
// inactive: the Groups list, the group's page, the mapping preview, the mapping list (and so the remove dialog).
let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(async () => {
  await h?.close();
});
const none = { attributes: [], excludedAttributes: [] };
const req = () => new Request("http://localhost/scim");

async function setup() {
  const { org, ownerAccountId } = await createOrganization(h.db, {
    name: "Count Co",
    ownerEmail: `o.${uniqueSuffix()}@example.com`,
    ownerPassword: "password-123",
  });
  const ctx: Ctx = { db: h.db, orgId: org.id, base: "http://localhost/scim" };
  const dev = (await h.db.transaction((tx) => createStack(tx, SYSTEM_ACTOR, org.id, "Developer stack")))!;
  const developer = (await h.db.select().from(stackRoles)).find((r) => r.stackId === dev.id && r.name === "Developer")!.id;
  const tag = uniqueSuffix();
  const user = async (name: string) =>
    (
      await createUser(
        ctx,
        {
          userName: `${name}.${tag}@acme.com`,
          displayName: `${name} ${tag}`,
          emails: [{ value: `${name}.${tag}@mail.acme.com`, primary: true }],
        },
        none,
      )
    ).resourceId!;
  const deactivate = (id: string) => patchUser(ctx, req(), id, { Operations: [{ op: "replace", value: { active: false } }] }, none);
  return { orgId: org.id, ownerAccountId, ctx, dev, developer, tag, user, deactivate };
}

describe("active and inactive member counts", () => {
  it("count only active members and say how many more are inactive, everywhere a group is counted", async () => {
    const s = await setup();
    const [ann, bob, cat] = [await s.user("ann"), await s.user("bob"), await s.user("cat")];
    const eng = (await createGroup(s.ctx, { displayName: `Engineering ${s.tag}`, members: [ann, bob].map((value) => ({ value })) }, none))
      .resourceId!;
    const ops = (await createGroup(s.ctx, { displayName: `Ops ${s.tag}`, members: [{ value: cat }] }, none)).resourceId!;
    const empty = (await createGroup(s.ctx, { displayName: `Empty ${s.tag}`, members: [] }, none)).resourceId!;
    const input = { groupId: eng, orgRole: "admin" as const, stackRoles: { [s.dev.id]: s.developer } };
    await saveMapping(h.db, SYSTEM_ACTOR, s.orgId, input, s.ownerAccountId);

    // Before anyone is deactivated: Engineering 2.
    expect((await memberCounts(h.db, s.orgId, [eng])).get(eng)).toEqual({ active: 2, inactive: 0 });

    expect((await s.deactivate(bob)).status).toBe(200);
    expect((await s.deactivate(cat)).status).toBe(200);

    const counts = await memberCounts(h.db, s.orgId, [eng, ops, empty, "00000000-0000-4000-8000-000000000000", "not-a-uuid"]);
    expect(Object.fromEntries(counts)).toEqual({
      [eng]: { active: 1, inactive: 1 },
      [ops]: { active: 0, inactive: 1 },
      [empty]: { active: 0, inactive: 0 },
    });

    // The Groups list (one statement for the page's counts).
    const { rows } = await groupsPage(h.db, s.orgId, { q: s.tag, page: 1 });
    expect(rows.map((g) => [g.displayName, g.members])).toEqual([
      [`Empty ${s.tag}`, { active: 0, inactive: 0 }],
      [`Engineering ${s.tag}`, { active: 1, inactive: 1 }],
      [`Ops ${s.tag}`, { active: 0, inactive: 1 }],
    ]);

    // The group's page: counts, and every member listed (inactive ones too, marked so).
    const detail = (await groupDetail(h.db, s.orgId, eng))!;
    expect(detail).toMatchObject({ memberCount: 2, counts: { active: 1, inactive: 1 }, orgRole: "admin" });
    expect(describeMembers(detail.counts)).toBe("1 member and 1 inactive");
    const members = await groupMembersPage(h.db, s.orgId, detail, { page: 1 });
    expect(members.total).toBe(2);
    expect(members.rows.map((u) => [u.userName, u.active])).toEqual([
      [`ann.${s.tag}@acme.com`, true],
      [`bob.${s.tag}@acme.com`, false],
    ]);

    // The SCIM Group dropdown's counts.
    expect((await searchGroups(h.db, s.orgId, `Engineering ${s.tag}`)).map((g) => g.members)).toEqual([{ active: 1, inactive: 1 }]);

    // The preview: the one active member is the person at stake; one more is inactive.
    expect(await previewMapping(h.db, s.orgId, { ...input, orgRole: "member" })).toEqual({
      people: 1,
      inactive: 1,
      affected: 1,
      roleChanges: [{ to: "member", count: 1 }],
      stackChanges: [],
    });
    expect(await previewMapping(h.db, s.orgId, { groupId: ops, orgRole: "admin", stackRoles: {} })).toMatchObject({
      people: 0,
      inactive: 1,
      affected: 0,
    });

    // The mapping list, and so the remove dialog's words.
    const [mapped] = (await listMappings(h.db, s.orgId)).filter((m) => m.groupId === eng);
    expect(mapped!.members).toEqual({ active: 1, inactive: 1 });
    expect(describeRemoval(mapped!.group, mapped!.members)).toBe(
      `The 1 active member of Engineering ${s.tag} loses what this mapping gives them at once, keeping only what their other groups grant. 1 more member is inactive and already without access.`,
    );

    // The SCIM members count is left as it is: it counts everyone the IdP put in the group.
    expect(detail.memberCount).toBe(2);

    // Reactivation gives the person back to the active count; leaving the group takes them out of both.
    expect((await patchUser(s.ctx, req(), bob, { Operations: [{ op: "replace", value: { active: true } }] }, none)).status).toBe(200);
    expect((await memberCounts(h.db, s.orgId, [eng])).get(eng)).toEqual({ active: 2, inactive: 0 });
    await patchGroup(s.ctx, req(), ops, { Operations: [{ op: "remove", path: `members[value eq "${cat}"]` }] }, none);
    expect((await memberCounts(h.db, s.orgId, [ops])).get(ops)).toEqual({ active: 0, inactive: 0 });
  });

  it("pages and searches a group's members by userName, display name and email", async () => {
    const s = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 53; i++) ids.push(await s.user(`m${String(i).padStart(2, "0")}`));
    const big = (await createGroup(s.ctx, { displayName: `Big ${s.tag}`, members: ids.map((value) => ({ value })) }, none)).resourceId!;
    await s.deactivate(ids[52]!);
    const group = (await groupDetail(h.db, s.orgId, big))!;
    expect(group.counts).toEqual({ active: 52, inactive: 1 });

    const first = await groupMembersPage(h.db, s.orgId, group, { page: 1 });
    const second = await groupMembersPage(h.db, s.orgId, group, { page: 2 });
    expect(first.total).toBe(53);
    expect(first.rows).toHaveLength(50);
    expect(second.rows.map((u) => [u.userName, u.active])).toEqual([
      [`m50.${s.tag}@acme.com`, true],
      [`m51.${s.tag}@acme.com`, true],
      [`m52.${s.tag}@acme.com`, false],
    ]);
    expect(new Set([...first.rows, ...second.rows].map((u) => u.id)).size).toBe(53);

    // userName, display name (any letter case) and email each find a member; a LIKE wildcard is a plain character.
    expect((await groupMembersPage(h.db, s.orgId, group, { q: `M07.${s.tag}@ACME`, page: 1 })).rows.map((u) => u.id)).toEqual([ids[7]]);
    expect((await groupMembersPage(h.db, s.orgId, group, { q: `m1`, page: 1 })).total).toBe(10);
    expect((await groupMembersPage(h.db, s.orgId, group, { q: `m33 ${s.tag}`, page: 1 })).rows.map((u) => u.id)).toEqual([ids[33]]);
    expect((await groupMembersPage(h.db, s.orgId, group, { q: `m44.${s.tag}@mail`, page: 1 })).rows.map((u) => u.id)).toEqual([ids[44]]);
    expect((await groupMembersPage(h.db, s.orgId, group, { q: "%", page: 1 })).total).toBe(0);
  });

  it("words: active first, then how many more are inactive", () => {
    expect(describeMembers({ active: 0, inactive: 0 })).toBe("no members");
    expect(describeMembers({ active: 1, inactive: 0 })).toBe("1 member");
    expect(describeMembers({ active: 12_000, inactive: 3 })).toBe("12,000 members and 3 inactive");
    expect(describeMembers({ active: 0, inactive: 2 })).toBe("no active members and 2 inactive");
    expect(describeRemoval("Ops", { active: 0, inactive: 2 })).toBe(
      "No active member of Ops has access through this mapping: removing it changes no one's access now. 2 more members are inactive and already without access.",
    );
    expect(describeRemoval("Eng", { active: 3, inactive: 0 })).toBe(
      "The 3 active members of Eng lose what this mapping gives them at once, keeping only what their other groups grant.",
    );
  });
});

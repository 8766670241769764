import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { groupMappings, memberships, scimGroups, scimUsers } from "@/db/schema";
import { saveMapping } from "@/lib/access/mappings";
import { SYSTEM_ACTOR } from "@/lib/audit/record";
import { applyGroupChange } from "@/lib/access/group-change";
import { recomputeAccess } from "@/lib/access/recompute";
import { onPostgres, uniqueSuffix } from "@/db/test-support";
import { call, h, scimOrg, withScimDatabase } from "@/lib/provisioning/test-harness";

// Group membership and reactivation under concurrency (PostgreSQL: PGlite runs nothing side by side).
withScimDatabase();

/**
 * Waits until a concurrent request is blocked on a lock held by the test's open transaction: it must still be
 * pending, and PostgreSQL must show a lock request that is not granted. Fails if it finishes without waiting (the
 * race would then not have been run at all).
 */
async function blockedOnLock(pending: Promise<unknown>): Promise<void> {
  let settled = false;
  void pending.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 500; i++) {
    if (settled) throw new Error("the concurrent request finished without waiting for the held lock");
    const [row] = await queryRows<{ n: number }>(h.db, sql`select count(*)::int as n from pg_locks where not granted`);
    if (row!.n > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("the concurrent request never waited on a lock");
}

describe("group membership under concurrency", () => {
  const newUser = async (a: { orgId: string; token: string }, name: string) =>
    (
      (await (
        await call(a.orgId, a.token, "POST", "/Users", {
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
          userName: `${name}.${uniqueSuffix()}@example.com`,
        })
      ).json()) as { id: string }
    ).id;
  const roleOf = async (orgId: string, userId: string) => {
    const [row] = await h.db
      .select({ role: memberships.role })
      .from(memberships)
      .innerJoin(scimUsers, and(eq(scimUsers.accountId, memberships.accountId), eq(scimUsers.orgId, memberships.orgId)))
      .where(eq(scimUsers.id, userId));
    return row?.role;
  };

  it("concurrent adds and removes on one mapped group keep the member count exact and everyone's access right", async () => {
    const a = await scimOrg();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await newUser(a, `busy${i}`));
    const group = (await (
      await call(a.orgId, a.token, "POST", "/Groups", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        displayName: `Busy ${uniqueSuffix()}`,
      })
    ).json()) as { id: string };
    await saveMapping(h.db, SYSTEM_ACTOR, a.orgId, { groupId: group.id, orgRole: "admin", stackRoles: {} }, a.ownerAccountId);
    const patch = (op: object) =>
      call(a.orgId, a.token, "PATCH", `/Groups/${group.id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [op],
      });
    const added = await Promise.all(ids.map((id) => patch({ op: "add", path: "members", value: [{ value: id }] })));
    expect(added.map((r) => r.status)).toEqual(ids.map(() => 204));
    // The same adds again (no change) and half of them leaving, all at once.
    const mixed = await Promise.all([
      ...ids.map((id) => patch({ op: "add", path: "members", value: [{ value: id }] })),
      ...ids.slice(0, 6).map((id) => patch({ op: "remove", path: `members[value eq "${id}"]` })),
    ]);
    expect(mixed.every((r) => r.status === 204)).toBe(true);
    const [row] = await h.db.select({ n: scimGroups.memberCount }).from(scimGroups).where(eq(scimGroups.id, group.id));
    const [actual] = await queryRows<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from scim_group_members where group_id = ${group.id}::uuid`,
    );
    expect(row!.n).toBe(actual!.n);
    for (const id of ids)
      expect(await roleOf(a.orgId, id)).toBe(
        (await queryRows(h.db, sql`select 1 from scim_group_members where group_id = ${group.id}::uuid and user_id = ${id}::uuid`)).length
          ? "admin"
          : "member",
      );
  });

  // PostgreSQL only: PGlite has one connection, so nothing runs side by side.
  it.runIf(onPostgres)("a member added while the group's mapping is being saved gets the mapped access", async () => {
    const a = await scimOrg();
    const userId = await newUser(a, "racer");
    const group = (await (
      await call(a.orgId, a.token, "POST", "/Groups", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        displayName: `Race ${uniqueSuffix()}`,
      })
    ).json()) as { id: string };
    let adding: Promise<Response> | undefined;
    // What saveMapping does, held open while the SCIM request runs: lock the group, map it, re-derive its members.
    await h.db.transaction(async (tx) => {
      await queryRows(tx, sql`select 1 from scim_groups where id = ${group.id}::uuid for update`);
      await tx.insert(groupMappings).values({ groupId: group.id, orgId: a.orgId, orgRole: "admin", updatedBy: a.ownerAccountId });
      adding = call(a.orgId, a.token, "PATCH", `/Groups/${group.id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "add", path: "members", value: [{ value: userId }] }],
      });
      await blockedOnLock(adding); // the request read the group (unmapped for it), added, and waits on the row
      // does not see the uncommitted member
      await applyGroupChange(tx, a.orgId, { groupId: group.id, roleBefore: null, roleAfter: "admin", before: [], after: [] });
    });
    expect((await adding!).status).toBe(204);
    expect(await roleOf(a.orgId, userId)).toBe("admin");
  });
});

describe("a reactivation racing a change to the person's groups (PostgreSQL: one connection on PGlite runs nothing side by side)", () => {
  const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
  const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  const setActive = (a: { orgId: string; token: string }, id: string, active: boolean) =>
    call(a.orgId, a.token, "PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active } }] });
  const roleOf = async (userId: string) => {
    const [row] = await h.db
      .select({ role: memberships.role })
      .from(memberships)
      .innerJoin(scimUsers, and(eq(scimUsers.accountId, memberships.accountId), eq(scimUsers.orgId, memberships.orgId)))
      .where(eq(scimUsers.id, userId));
    return row?.role ?? null;
  };
  const setup = async (member: boolean) => {
    const a = await scimOrg();
    const user = (await (
      await call(a.orgId, a.token, "POST", "/Users", { schemas: [USER], userName: `racer.${uniqueSuffix()}@example.com` })
    ).json()) as { id: string };
    const group = (await (
      await call(a.orgId, a.token, "POST", "/Groups", {
        schemas: [GROUP],
        displayName: `Race ${uniqueSuffix()}`,
        members: member ? [{ value: user.id }] : [],
      })
    ).json()) as { id: string };
    expect((await setActive(a, user.id, false)).status).toBe(200);
    return { a, user, group };
  };

  // PostgreSQL only: PGlite has one connection, so nothing runs side by side.
  it.runIf(onPostgres)("a mapping saved meanwhile: the reactivation waits for it and gets the mapped role", async () => {
    const { a, user, group } = await setup(true);
    let reactivating: Promise<Response> | undefined;
    // What saveMapping does, held open: lock the group, map it, re-derive its members (the person is not active yet).
    await h.db.transaction(async (tx) => {
      await queryRows(tx, sql`select 1 from scim_groups where id = ${group.id}::uuid for update`);
      await tx.insert(groupMappings).values({ groupId: group.id, orgId: a.orgId, orgRole: "admin", updatedBy: a.ownerAccountId });
      await applyGroupChange(tx, a.orgId, { groupId: group.id, roleBefore: null, roleAfter: "admin", before: [], after: [] });
      reactivating = setActive(a, user.id, true);
      await blockedOnLock(reactivating); // the reactivation does not see the mapping: it must not finish now
    });
    expect((await reactivating!).status).toBe(200);
    expect(await roleOf(user.id)).toBe("admin");
  });

  // PostgreSQL only: PGlite has one connection, so nothing runs side by side.
  it.runIf(onPostgres)("the person added to a mapped group meanwhile: the reactivation waits for it and gets the mapped role", async () => {
    const { a, user, group } = await setup(false);
    await saveMapping(h.db, SYSTEM_ACTOR, a.orgId, { groupId: group.id, orgRole: "admin", stackRoles: {} }, a.ownerAccountId);
    let reactivating: Promise<Response> | undefined;
    // What a member add does, held open: the member row, the group row, the shared lock on the person, the re-derivation.
    await h.db.transaction(async (tx) => {
      await queryRows(
        tx,
        sql`insert into scim_group_members (org_id, group_id, user_id) values (${a.orgId}, ${group.id}::uuid, ${user.id}::uuid)`,
      );
      await queryRows(tx, sql`update scim_groups set member_count = member_count + 1 where id = ${group.id}::uuid`);
      await queryRows(tx, sql`select id from scim_users where id = ${user.id}::uuid for share`);
      await recomputeAccess(tx, a.orgId, { userIds: [user.id], joinedOrLeft: group.id });
      reactivating = setActive(a, user.id, true);
      await blockedOnLock(reactivating);
    });
    expect((await reactivating!).status).toBe(200);
    expect(await roleOf(user.id)).toBe("admin");
  });
});

/**
 * The same races as they happen: real requests side by side, 50 rounds each, every round with its own person and
 * group, the two sides started together with a random stagger of up to 2 ms either way (the window being raced is
 * between one side's snapshot and its locks). A round counts only if both sides answered as they should; the
 * person's role afterwards must be what the rules give for the final state — never a missed mapping or group.
 */
describe("reactivations side by side with member changes and mapping saves, 50 rounds (PostgreSQL)", () => {
  const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
  const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  const ROUNDS = 50;
  const stagger = () => new Promise((r) => setTimeout(r, Math.random() * 2));
  const sideBySide = <A, B>(a: () => Promise<A>, b: () => Promise<B>) =>
    Math.random() < 0.5 ? Promise.all([a(), stagger().then(b)]) : Promise.all([stagger().then(a), b()]);
  const roleOf = async (userId: string) => {
    const [row] = await h.db
      .select({ role: memberships.role })
      .from(memberships)
      .innerJoin(scimUsers, and(eq(scimUsers.accountId, memberships.accountId), eq(scimUsers.orgId, memberships.orgId)))
      .where(eq(scimUsers.id, userId));
    return row?.role ?? null;
  };
  const round = async (a: Awaited<ReturnType<typeof scimOrg>>, i: number, inGroup: boolean) => {
    const user = (await (
      await call(a.orgId, a.token, "POST", "/Users", {
        schemas: [USER],
        userName: `round${i}.${uniqueSuffix()}@example.com`,
        active: false,
      })
    ).json()) as { id: string };
    const group = (await (
      await call(a.orgId, a.token, "POST", "/Groups", {
        schemas: [GROUP],
        displayName: `Round ${i} ${uniqueSuffix()}`,
        members: inGroup ? [{ value: user.id }] : [],
      })
    ).json()) as { id: string };
    const reactivate = () =>
      call(a.orgId, a.token, "PATCH", `/Users/${user.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: "replace", value: { active: true } }],
      });
    return { user, group, reactivate };
  };

  const mapToAdmin = (a: Awaited<ReturnType<typeof scimOrg>>, groupId: string) =>
    saveMapping(h.db, SYSTEM_ACTOR, a.orgId, { groupId, orgRole: "admin", stackRoles: {} }, a.ownerAccountId);
  const patchGroup = (a: Awaited<ReturnType<typeof scimOrg>>, groupId: string, op: object) =>
    call(a.orgId, a.token, "PATCH", `/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [op] });

  /**
   * ROUNDS rounds of one race, each with a new person (deactivated) and group: the person in the group or not, the
   * group mapped to Admin first or not, then `race` beside the person's reactivation. Answers the rounds whose
   * person did not end up with `expected`.
   */
  async function missedRounds(
    opts: { inGroup: boolean; mapFirst: boolean; expected: "admin" | "member" },
    race: (a: Awaited<ReturnType<typeof scimOrg>>, userId: string, groupId: string) => Promise<unknown>,
  ): Promise<number[]> {
    const a = await scimOrg();
    const misses: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const { user, group, reactivate } = await round(a, i, opts.inGroup);
      if (opts.mapFirst) await mapToAdmin(a, group.id);
      const [, reactivated] = await sideBySide(() => race(a, user.id, group.id), reactivate);
      expect(reactivated.status).toBe(200);
      if ((await roleOf(user.id)) !== opts.expected) misses.push(i);
    }
    return misses;
  }

  it.runIf(onPostgres)(
    "a member add to a mapped group and the person's reactivation: the person always ends up with the mapped role",
    async () => {
      const misses = await missedRounds({ inGroup: false, mapFirst: true, expected: "admin" }, async (a, userId, groupId) =>
        expect((await patchGroup(a, groupId, { op: "add", path: "members", value: [{ value: userId }] })).status).toBe(204),
      );
      expect(misses).toEqual([]);
    },
  );

  it.runIf(onPostgres)(
    "a mapping saved for the person's group and their reactivation: the person always ends up with the mapped role",
    async () => {
      const misses = await missedRounds({ inGroup: true, mapFirst: false, expected: "admin" }, (a, _userId, groupId) =>
        mapToAdmin(a, groupId),
      );
      expect(misses).toEqual([]);
    },
  );

  it.runIf(onPostgres)("the person removed from their mapped group and reactivated at once: they always end up a Member", async () => {
    const misses = await missedRounds({ inGroup: true, mapFirst: true, expected: "member" }, async (a, userId, groupId) =>
      expect((await patchGroup(a, groupId, { op: "remove", path: `members[value eq "${userId}"]` })).status).toBe(204),
    );
    expect(misses).toEqual([]);
  });
});

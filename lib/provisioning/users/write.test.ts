import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { memberships, scimUsers } from "@/db/schema";
import { onPostgres, uniqueSuffix } from "@/db/test-support";
import { call, h, scimOrg, withScimDatabase } from "@/lib/provisioning/test-harness";

// User writes without a lock, and what happens when a write meets another.
withScimDatabase();

describe("user writes without a lock", () => {
  const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  const post = async (a: { orgId: string; token: string }, body: Record<string, unknown>) => {
    const res = await call(a.orgId, a.token, "POST", "/Users", { schemas: [USER], ...body });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; meta: { version: string } };
  };
  const stored = async (id: string) => {
    const [row] = await h.db.select().from(scimUsers).where(eq(scimUsers.id, id));
    const [member] = await h.db
      .select({ role: memberships.role, scimManaged: memberships.scimManaged })
      .from(memberships)
      .where(and(eq(memberships.orgId, row!.orgId), eq(memberships.accountId, row!.accountId)));
    return { active: row!.active, version: row!.version, resource: row!.resource as Record<string, unknown>, membership: member ?? null };
  };
  /** A response or stored resource without what differs between two people. */
  const shape = (r: Record<string, unknown>) => {
    const rest: Record<string, unknown> = { ...r };
    for (const k of ["id", "userName", "emails", "meta"]) delete rest[k];
    const meta = r.meta as Record<string, unknown> | undefined;
    return { ...rest, meta: meta ? { resourceType: meta.resourceType, version: meta.version } : undefined };
  };

  it("a PATCH that only sets active (the shortcut) answers and stores what the general path does", async () => {
    const a = await scimOrg();
    const person = (n: string, extra: Record<string, unknown> = {}) => ({
      userName: `${n}.${uniqueSuffix()}@example.com`,
      name: { givenName: "Same", familyName: "Person" },
      emails: [{ value: `${n}.${uniqueSuffix()}@example.com`, type: "work", primary: true }],
      title: "Engineer",
      ...extra,
    });
    // `fast` takes the shortcut; `slow` sends the same PATCH with If-Match, which takes the general path.
    for (const extra of [{ active: true }, {}]) {
      const fast = await post(a, person("fast", extra));
      const slow = await post(a, person("slow", extra));
      for (const [ops, active] of [
        [[{ op: "replace", value: { active: false } }], false],
        [[{ op: "Replace", path: "active", value: "True" }], true],
      ] as const) {
        const before = await stored(slow.id);
        const f = await call(a.orgId, a.token, "PATCH", `/Users/${fast.id}`, { schemas: [PATCH_OP], Operations: ops });
        const g = await call(
          a.orgId,
          a.token,
          "PATCH",
          `/Users/${slow.id}`,
          { schemas: [PATCH_OP], Operations: ops },
          { "if-match": `W/"${before.version}"` },
        );
        expect([f.status, g.status]).toEqual([200, 200]);
        expect(f.headers.get("etag")).toBe(g.headers.get("etag"));
        expect(shape(await f.json())).toEqual(shape(await g.json()));
        const [sf, sg] = [await stored(fast.id), await stored(slow.id)];
        expect(sf.active).toBe(active);
        expect({ ...sf, resource: shape(sf.resource) }).toEqual({ ...sg, resource: shape(sg.resource) });
        expect(sf.membership).toEqual(active ? { role: "member", scimManaged: true } : null);
      }
    }
  });

  it("the shortcut leaves what it does not apply to to the general path: no change, unknown ids, If-Match", async () => {
    const a = await scimOrg();
    const user = await post(a, { userName: `idle.${uniqueSuffix()}@example.com`, active: false });
    const off = { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] };
    const again = await call(a.orgId, a.token, "PATCH", `/Users/${user.id}`, off);
    expect(again.status).toBe(200);
    expect(again.headers.get("etag")).toBe(`W/"${(await stored(user.id)).version}"`);
    expect((await stored(user.id)).version).toBe(1); // nothing written
    expect((await call(a.orgId, a.token, "PATCH", `/Users/${crypto.randomUUID()}`, off)).status).toBe(404);
    expect((await call(a.orgId, a.token, "PATCH", "/Users/not-a-uuid", off)).status).toBe(404);
    const on = { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: true } }] };
    const stale = await call(a.orgId, a.token, "PATCH", `/Users/${user.id}`, on, { "if-match": 'W/"7"' });
    expect(stale.status).toBe(412);
    expect((await stored(user.id)).active).toBe(false);
    // Another org's user is not found either.
    const b = await scimOrg();
    expect((await call(b.orgId, b.token, "PATCH", `/Users/${user.id}`, on)).status).toBe(404);
    expect((await stored(user.id)).active).toBe(false);
  });

  it("concurrent writes to one user all land: none lost, none refused, access follows the last state", async () => {
    const a = await scimOrg();
    const user = await post(a, { userName: `busy.${uniqueSuffix()}@example.com` });
    const patch = (op: object) => call(a.orgId, a.token, "PATCH", `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [op] });
    const phones = Array.from({ length: 10 }, (_, i) => `+1 555 0100 ${String(i).padStart(3, "0")}`);
    const results = await Promise.all([
      ...phones.map((value) => patch({ op: "add", path: "phoneNumbers", value: [{ value, type: "work" }] })),
      ...[false, true, false, true, false].map((active) => patch({ op: "replace", value: { active } })),
    ]);
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
    const after = await stored(user.id);
    expect(((after.resource.phoneNumbers ?? []) as { value: string }[]).map((p) => p.value).sort()).toEqual(phones);
    expect(after.version).toBeGreaterThanOrEqual(1 + phones.length);
    expect(after.membership === null).toBe(!after.active);
  });

  // PostgreSQL only: PGlite runs nothing side by side.
  it.runIf(onPostgres)(
    "deactivations and reactivations of one user side by side, 50 rounds: the membership always follows the final state",
    async () => {
      const a = await scimOrg();
      const user = await post(a, { userName: `toggle.${uniqueSuffix()}@example.com` });
      const misses: number[] = [];
      for (let round = 0; round < 50; round++) {
        const toggles = [false, true, false, true, true, false].map((active) =>
          call(a.orgId, a.token, "PATCH", `/Users/${user.id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active } }] }),
        );
        expect((await Promise.all(toggles)).map((r) => r.status)).toEqual(toggles.map(() => 200));
        const after = await stored(user.id);
        if ((after.membership === null) !== !after.active) misses.push(round);
      }
      expect(misses).toEqual([]);
    },
  );

  it("concurrent POSTs of one person under different userNames: one 201, the rest 409, one user", async () => {
    const a = await scimOrg();
    const email = `one.person.${uniqueSuffix()}@example.com`;
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(a.orgId, a.token, "POST", "/Users", {
          schemas: [USER],
          userName: `alias${i}.${uniqueSuffix()}@example.com`,
          emails: [{ value: email, primary: true }],
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    const [n] = await queryRows<{ users: number; members: number }>(
      h.db,
      sql`select (select count(*)::int from scim_users su join accounts ac on ac.id = su.account_id where su.org_id = ${a.orgId} and lower(ac.email) = lower(${email})) as users,
        (select count(*)::int from memberships m join accounts ac on ac.id = m.account_id where m.org_id = ${a.orgId} and lower(ac.email) = lower(${email})) as members`,
    );
    expect(n).toEqual({ users: 1, members: 1 });
  });
});

import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DatabaseHandle } from "@/db/client";
import { groupMappings, memberships, oauthGrants, oauthTokens, provisioningEvents, scimGroups, scimTokens, scimUsers } from "@/db/schema";
import { saveMapping } from "@/lib/access/mappings";
import { recomputeAccess } from "@/lib/access/recompute";
import { onPostgres, openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { hashSecret, newSecret } from "@/lib/auth/secrets";
import { createOrganization } from "@/lib/orgs/create-organization";
import { setScimEnabled } from "@/lib/orgs/set-scim-enabled";
import { authenticateScim } from "@/lib/credentials/authenticate";
import { credentialCacheState, credentialRemembered } from "@/lib/credentials/credential-cache";
import { createScimToken, revokeScimToken } from "@/lib/credentials/scim-tokens";
import { handleScimRequest } from "./handler";
import { groupRowOf, userRowOf } from "./render";
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
  const { org, ownerAccountId } = await createOrganization(h.db, {
    name: "Log Co",
    ownerEmail: `o.${uniqueSuffix()}@example.com`,
    ownerPassword: "password-123",
  });
  if (enabled) await setScimEnabled(h.db, org.id, true, ownerAccountId);
  const { token, id } = await createScimToken(h.db, { orgId: org.id, name: "test" });
  return { orgId: org.id, token, tokenId: id, ownerAccountId };
}

function call(orgId: string, token: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const segments = path.split("?")[0]!.split("/").filter(Boolean);
  const req = new Request(`http://localhost/scim/v2.0/organizations/${orgId}/${path.replace(/^\//, "")}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/scim+json", ...headers },
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
    await expect(authenticateScim(h.db, b.orgId, `Bearer ${a.token}`)).rejects.toMatchObject({
      status: 401,
      detail: expect.stringContaining("another organization"),
    });
    await expect(authenticateScim(h.db, a.orgId, null)).rejects.toMatchObject({ status: 401 });
    await expect(authenticateScim(h.db, a.orgId, "Bearer scimsk_forged")).rejects.toMatchObject({ status: 401 });

    const expiring = await createScimToken(h.db, { orgId: a.orgId, name: "soon", expiresAt: new Date(Date.now() + 1000) });
    await expect(authenticateScim(h.db, a.orgId, `Bearer ${expiring.token}`, new Date(Date.now() + 5000))).rejects.toMatchObject({
      status: 401,
      detail: expect.stringContaining("expired"),
    });
    await revokeScimToken(h.db, a.orgId, a.tokenId);
    await expect(authenticateScim(h.db, a.orgId, `Bearer ${a.token}`)).rejects.toMatchObject({
      status: 401,
      detail: expect.stringContaining("revoked"),
    });

    const off = await scimOrg(false);
    await expect(authenticateScim(h.db, off.orgId, `Bearer ${off.token}`)).rejects.toMatchObject({ status: 403 });
    const [stored] = await h.db.select().from(scimTokens).where(eq(scimTokens.id, off.tokenId));
    expect(stored!.tokenHash).toBe(hashSecret(off.token));
    expect(JSON.stringify(stored)).not.toContain(off.token);
  });

  it("accepts OAuth access tokens of a live grant, and refuses them once the grant is revoked", async () => {
    const a = await scimOrg();
    const [grant] = await h.db
      .insert(oauthGrants)
      .values({ orgId: a.orgId, clientId: "okta", scope: "scim", authorizedBy: a.ownerAccountId })
      .returning();
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
    const created = await call(a.orgId, a.token, "POST", "/Users", {
      userName: "log.me@example.com",
      password: "hunter2-secret",
      emails: [{ value: "log.me@example.com" }],
    });
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
    expect(post).toMatchObject({
      path: "/Users",
      resourceType: "User",
      resourceId: user.id,
      credentialKind: "scim_token",
      credentialId: a.tokenId,
    });
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
    const left = await h.db.select().from(provisioningEvents).where(eq(provisioningEvents.orgId, a.orgId)).orderBy(provisioningEvents.id);
    expect(left.map((e) => e.path)).toEqual(Array.from({ length: 5 }, (_, k) => `/Users?count=1&i=${k + 7}`));
  });

  it("an unexpected failure is a generic SCIM 500 that leaks nothing", async () => {
    const a = await scimOrg();
    const real = h.db.transaction.bind(h.db);
    const boom = () => Promise.reject(new Error("relation secret_table does not exist"));
    (h.db as { transaction: unknown }).transaction = boom;
    // On PostgreSQL write transactions start by reserving a connection (db/client.ts transaction()).
    const client = (h.db as unknown as { session: { client: { reserve?: unknown } } }).session.client;
    const realReserve = client.reserve;
    if (realReserve) client.reserve = boom;
    try {
      // An inactive person is created in a transaction (an active one in a single statement, without one).
      const res = await call(a.orgId, a.token, "POST", "/Users", { userName: "boom@example.com", active: false });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain("secret_table");
      expect(JSON.parse(text)).toMatchObject({ status: "500", schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"] });
    } finally {
      (h.db as { transaction: unknown }).transaction = real;
      if (realReserve) client.reserve = realReserve;
    }
  });
});

describe("list totals", () => {
  it("are exact whether they come from the page itself, the counter or a count", async () => {
    const a = await scimOrg();
    for (let i = 1; i <= 5; i++) {
      const res = await call(a.orgId, a.token, "POST", "/Users", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: `total${i}@example.com`,
        active: true,
      });
      expect(res.status).toBe(201);
    }
    await call(a.orgId, a.token, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Totals A" });
    await call(a.orgId, a.token, "POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Totals B" });
    const list = async (path: string) => {
      const res = await call(a.orgId, a.token, "GET", path);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { totalResults: number; itemsPerPage: number; startIndex: number };
      return [body.totalResults, body.itemsPerPage];
    };
    const f = (s: string) => `filter=${encodeURIComponent(s)}`;
    expect(await list("/Users?startIndex=1&count=2")).toEqual([5, 2]); // full page: counted
    expect(await list("/Users?startIndex=5&count=2")).toEqual([5, 1]); // partial last page: from the page
    expect(await list("/Users?startIndex=6&count=2")).toEqual([5, 0]); // past the end: counted
    expect(await list("/Users?startIndex=1&count=0")).toEqual([5, 0]);
    expect(await list(`/Users?${f('userName eq "total3@example.com"')}`)).toEqual([1, 1]);
    expect(await list(`/Users?${f('userName eq "nobody@example.com"')}`)).toEqual([0, 0]);
    expect(await list(`/Users?${f('userName sw "total"')}&count=2`)).toEqual([5, 2]);
    expect(await list(`/Users?${f('userName sw "total"')}&startIndex=4&count=10`)).toEqual([5, 2]);
    expect(await list(`/Users?${f('userName sw "total"')}&startIndex=9&count=10`)).toEqual([5, 0]);
    expect(await list("/Groups?count=1")).toEqual([2, 1]);
    expect(await list("/Groups")).toEqual([2, 2]);
    expect(await list(`/Groups?${f('displayName eq "Totals B"')}`)).toEqual([1, 1]);
    expect(await list("/Groups?startIndex=3")).toEqual([2, 0]);
  });

  it("the prepared userName lookup answers exactly what the general filter path does", async () => {
    const a = await scimOrg();
    const created = await call(a.orgId, a.token, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "Mixed.Case@Example.com",
      name: { givenName: "M" },
    });
    expect(created.status).toBe(201);
    const get = async (path: string) => {
      const res = await call(a.orgId, a.token, "GET", path);
      expect(res.status).toBe(200);
      return (await res.json()) as { totalResults: number; Resources: { userName: string }[] };
    };
    const f = (s: string) => encodeURIComponent(s);
    for (const filter of [
      'userName eq "mixed.case@example.com"',
      'USERNAME eq "MIXED.CASE@EXAMPLE.COM"',
      'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "Mixed.Case@Example.com"',
      'userName eq "nobody@example.com"',
    ]) {
      const fast = await get(`/Users?filter=${f(filter)}&count=1`);
      const general = await get(`/Users?filter=${f(filter)}&count=1&sortBy=id`); // sortBy takes the general path
      expect(fast).toEqual(general);
      expect(fast.totalResults).toBe(filter.includes("nobody") ? 0 : 1);
    }
    const excluded = await get(`/Users?filter=${f('userName eq "mixed.case@example.com"')}&excludedAttributes=groups`);
    expect(excluded.Resources[0]).not.toHaveProperty("groups");
    expect((await get(`/Users?filter=${f('userName eq "mixed.case@example.com"')}&startIndex=2`)).totalResults).toBe(1);
  });
});

describe("credential memory", () => {
  // The memory is per process and other test files clear it through the shared NOTIFY channel at any moment, so
  // each test looks at its own token's entry, and the proof of forgetting is the answer the next request gets.
  const until = async (check: () => boolean, what: string) => {
    for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10)); // ≤ 10 s: the suite runs files side by side
    if (!check()) throw new Error(`timed out waiting for ${what}`);
  };
  const bearer = (a: { token: string }) => `Bearer ${a.token}`;
  const usersOf = (a: { orgId: string; token: string }) => call(a.orgId, a.token, "GET", "/Users?count=1");
  /** A request with the org's token, until its credential is remembered (another file's NOTIFY may clear it meanwhile). */
  const remembered = async (a: { orgId: string; token: string }) => {
    for (let i = 0; i < 50; i++) {
      expect((await usersOf(a)).status).toBe(200);
      if (credentialRemembered(bearer(a))) return;
    }
    throw new Error("the credential was never remembered");
  };

  it("remembers a good token and forgets it the moment this process revokes it", async () => {
    const a = await scimOrg();
    expect((await usersOf(a)).status).toBe(200);
    await until(() => credentialCacheState().ready, "the listener");
    await remembered(a);
    await revokeScimToken(h.db, a.orgId, a.tokenId);
    expect(credentialRemembered(bearer(a))).toBe(false);
    expect((await usersOf(a)).status).toBe(401);
  });

  it("forgets when the change comes from elsewhere (another node, the CLI, SQL): revocation, SCIM off", async () => {
    const a = await scimOrg();
    const b = await scimOrg();
    expect((await usersOf(a)).status).toBe(200); // the first request starts the listener
    await until(() => credentialCacheState().ready, "the listener");
    await remembered(a);
    // Straight SQL, as another process would: only the trigger's NOTIFY can tell this process.
    await h.db.execute(sql`update scim_tokens set revoked_at = now() where id = ${a.tokenId}`);
    await until(() => !credentialRemembered(bearer(a)), "the notification");
    expect((await usersOf(a)).status).toBe(401);
    await remembered(b);
    await h.db.execute(sql`update organizations set scim_enabled = false where id = ${b.orgId}`);
    await until(() => !credentialRemembered(bearer(b)), "the notification");
    expect((await usersOf(b)).status).toBe(403);
  });

  it("never remembers unknown tokens, and still refuses another org's token when remembered", async () => {
    const a = await scimOrg();
    const b = await scimOrg();
    expect((await usersOf(a)).status).toBe(200);
    await until(() => credentialCacheState().ready, "the listener");
    expect((await call(a.orgId, "scimsk_unknown", "GET", "/Users")).status).toBe(401);
    expect(credentialRemembered("Bearer scimsk_unknown")).toBe(false);
    await remembered(a);
    expect((await call(b.orgId, a.token, "GET", "/Users")).status).toBe(401);
  });
});

describe("NUL characters", () => {
  it("are refused with a SCIM 400, and the request is still recorded", async () => {
    const a = await scimOrg();
    const res = await call(a.orgId, a.token, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "nul\u0000@example.com",
      displayName: "N\u0000L",
    });
    expect(res.status).toBe(400);
    await flushProvisioningLog();
    const [event] = await recentEvents(h.db, a.orgId, 1);
    expect(event).toMatchObject({ method: "POST", status: 400 });
    expect(JSON.stringify(event!.request)).toContain("\uFFFD");
    const filtered = await call(a.orgId, a.token, "GET", `/Users?filter=${encodeURIComponent('userName eq "a\u0000b"')}`);
    expect(filtered.status).toBe(400);
    expect(await filtered.json()).toMatchObject({ scimType: "invalidValue", detail: expect.stringContaining("NUL") });
  });

  it("a value too long for an index is a SCIM 400, not a 500", async () => {
    const a = await scimOrg();
    const res = await call(a.orgId, a.token, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: `${randomBytes(4500).toString("hex")}@example.com`,
    }); // incompressible
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ scimType: "invalidValue", detail: expect.stringContaining("too long") });
  });
});

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
    await saveMapping(h.db, a.orgId, { groupId: group.id, orgRole: "admin", stackRoles: {} }, a.ownerAccountId);
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
      await recomputeAccess(tx, a.orgId, { groupId: group.id }); // does not see the uncommitted member
    });
    expect((await adding!).status).toBe(204);
    expect(await roleOf(a.orgId, userId)).toBe("admin");
  });
});

describe("userRowOf and groupRowOf", () => {
  it("read raw scim_users and scim_groups rows exactly as drizzle does", async () => {
    const a = await scimOrg();
    const res = await call(a.orgId, a.token, "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: `raw.${uniqueSuffix()}@example.com`,
      externalId: "ext-1",
      displayName: "Raw Row",
      name: { givenName: "Raw", familyName: "Row" },
      emails: [{ value: "Raw.Row@Example.com", type: "work", primary: true }, { value: "second@example.com" }],
      active: true,
    });
    const { id } = (await res.json()) as { id: string };
    const [typed] = await h.db.select().from(scimUsers).where(eq(scimUsers.id, id));
    const [raw] = await queryRows(h.db, sql`select * from scim_users where id = ${id}::uuid`);
    expect(userRowOf(raw!)).toEqual(typed);
    const group = (await (
      await call(a.orgId, a.token, "POST", "/Groups", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        displayName: `Raw ${uniqueSuffix()}`,
        externalId: "g-ext",
        members: [{ value: id }],
      })
    ).json()) as { id: string };
    const [typedGroup] = await h.db.select().from(scimGroups).where(eq(scimGroups.id, group.id));
    const [rawGroup] = await queryRows(h.db, sql`select * from scim_groups where id = ${group.id}::uuid`);
    expect(groupRowOf(rawGroup!)).toEqual(typedGroup);
  });
});

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
      await recomputeAccess(tx, a.orgId, { groupId: group.id });
      reactivating = setActive(a, user.id, true);
      await blockedOnLock(reactivating); // the reactivation does not see the mapping: it must not finish now
    });
    expect((await reactivating!).status).toBe(200);
    expect(await roleOf(user.id)).toBe("admin");
  });

  // PostgreSQL only: PGlite has one connection, so nothing runs side by side.
  it.runIf(onPostgres)("the person added to a mapped group meanwhile: the reactivation waits for it and gets the mapped role", async () => {
    const { a, user, group } = await setup(false);
    await saveMapping(h.db, a.orgId, { groupId: group.id, orgRole: "admin", stackRoles: {} }, a.ownerAccountId);
    let reactivating: Promise<Response> | undefined;
    // What a member add does, held open: the member row, the group row, the shared lock on the person, the re-derivation.
    await h.db.transaction(async (tx) => {
      await queryRows(
        tx,
        sql`insert into scim_group_members (org_id, group_id, user_id) values (${a.orgId}, ${group.id}::uuid, ${user.id}::uuid)`,
      );
      await queryRows(tx, sql`update scim_groups set member_count = member_count + 1 where id = ${group.id}::uuid`);
      await queryRows(tx, sql`select id from scim_users where id = ${user.id}::uuid for share`);
      await recomputeAccess(tx, a.orgId, { userIds: [user.id], ifGroupMapped: group.id });
      reactivating = setActive(a, user.id, true);
      await blockedOnLock(reactivating);
    });
    expect((await reactivating!).status).toBe(200);
    expect(await roleOf(user.id)).toBe("admin");
  });
});

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { provisioningEvents } from "@/db/schema";
import { transactionPoolOf } from "@/db/statements";
import { flushProvisioningLog, pruneLog, recentEvents, recordEvent } from "@/lib/provisioning/log";
import { call, h, scimOrg, withScimDatabase } from "@/lib/provisioning/test-harness";

// The provisioning log: what each SCIM request records.
withScimDatabase();

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
    expect(JSON.stringify(post!.requestBody)).not.toContain("hunter2");
    expect((post!.requestBody as Record<string, unknown>).password).toBe("[redacted]");
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

  it("an event the database refuses does not drop the other events of its batch, other tenants' included", async () => {
    const [a, b] = [await scimOrg(), await scimOrg()];
    const event = (orgId: string, requestId: string) => ({ orgId, requestId, method: "GET", path: "/Users", status: 200, durationMs: 1 });
    recordEvent(h.db, event(a.orgId, "kept-a-1"));
    recordEvent(h.db, event("blt-no-such-org", "refused")); // fails the foreign key to organizations
    recordEvent(h.db, event(b.orgId, "kept-b"));
    recordEvent(h.db, event(a.orgId, "kept-a-2"));
    await flushProvisioningLog();
    expect((await recentEvents(h.db, a.orgId)).map((e) => e.requestId)).toEqual(["kept-a-2", "kept-a-1"]);
    expect((await recentEvents(h.db, b.orgId)).map((e) => e.requestId)).toEqual(["kept-b"]);
  });

  it("keeps a password sent as a PATCH path out of the log, and an error detail quotes at most 200 characters", async () => {
    const a = await scimOrg();
    const user = (await (await call(a.orgId, a.token, "POST", "/Users", { userName: "canary@example.com" })).json()) as { id: string };
    const canary = "Canary-Pa55word-in-a-path";
    for (const path of ["password", "urn:ietf:params:scim:schemas:core:2.0:User:password"])
      expect(
        (await call(a.orgId, a.token, "PATCH", `/Users/${user.id}`, { Operations: [{ op: "replace", path, value: canary }] })).status,
      ).toBe(200);
    const huge = "y".repeat(50_000);
    const bad = await call(a.orgId, a.token, "PATCH", `/Users/${user.id}`, {
      Operations: [{ op: "replace", path: "active", value: huge }],
    });
    expect(bad.status).toBe(400);
    const detail = ((await bad.json()) as { detail: string }).detail;
    expect(detail.length).toBeLessThan(400);
    expect(detail).toMatch(/"y{199}…/);
    await flushProvisioningLog();
    const events = await recentEvents(h.db, a.orgId);
    expect(JSON.stringify(events)).not.toContain(canary);
    expect(JSON.stringify(events[0]!.requestBody).length).toBeLessThanOrEqual(4096 + 200);
  });

  it("an unexpected failure is a generic SCIM 500 that leaks nothing", async () => {
    const a = await scimOrg();
    const real = h.db.transaction.bind(h.db);
    const boom = () => Promise.reject(new Error("relation secret_table does not exist"));
    (h.db as { transaction: unknown }).transaction = boom;
    // On PostgreSQL write transactions start by reserving a connection of the transaction pool (db/statements.ts).
    const pool = transactionPoolOf(h.db) as { reserve: unknown } | null;
    const realReserve = pool?.reserve;
    if (pool) pool.reserve = boom;
    try {
      // An inactive person is created in a transaction (an active one in a single statement, without one).
      const res = await call(a.orgId, a.token, "POST", "/Users", { userName: "boom@example.com", active: false });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain("secret_table");
      expect(JSON.parse(text)).toMatchObject({ status: "500", schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"] });
    } finally {
      (h.db as { transaction: unknown }).transaction = real;
      if (pool) pool.reserve = realReserve;
    }
  });
});

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type DatabaseHandle } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { createOrganization } from "@/lib/orgs/create-organization";
import type { AuditAction } from "./actions";
import { AUDIT_PAGE_SIZE, AUDIT_SCAN_WINDOW, auditActors, auditBatches, auditPage, type AuditFilter } from "./query";

// The Audit log's reads on a real database: filters, keyset paging both ways, batches, and org isolation.
let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(() => h?.close());

const HOUR = 3_600_000;

async function org() {
  const email = `Owner.${uniqueSuffix()}@Example.com`;
  const { org, ownerAccountId } = await createOrganization(h.db, { name: "Audit Co", ownerEmail: email, ownerPassword: "password-123" });
  return { orgId: org.id, accountId: ownerAccountId, email: email.toLowerCase() };
}

type Seed = { action: AuditAction; actor: { accountId: string; email: string } | "cli"; at: Date };

/** Inserts events in the order given (ids follow), each stamped with its own time. */
async function insert(orgId: string, events: Seed[]) {
  if (!events.length) return;
  await h.db.insert(auditEvents).values(
    events.map((e) => ({
      orgId,
      at: e.at,
      action: e.action,
      actorKind: e.actor === "cli" ? "cli" : "web",
      actorAccountId: e.actor === "cli" ? null : e.actor.accountId,
      actorEmail: e.actor === "cli" ? null : e.actor.email,
      targetType: "organization",
      targetId: orgId,
      targetLabel: "Audit Co",
    })),
  );
}

async function all(orgId: string, f: AuditFilter = {}) {
  const rows = [];
  for await (const batch of auditBatches(h.db, orgId, f, 7)) rows.push(...batch);
  return rows;
}

describe("the audit trail's reads", () => {
  // 120 events in org A an hour apart (the oldest 120 hours ago), by the owner, an admin and the CLI, three actions;
  // org B gets events by the same people at the same times, which must never show in A's reads.
  let a: Awaited<ReturnType<typeof org>>;
  let b: Awaited<ReturnType<typeof org>>;
  let admin: { accountId: string; email: string };
  const now = Date.now();
  const at = (i: number) => new Date(now - (120 - i) * HOUR);
  const ACTIONS: AuditAction[] = ["scim.enabled", "scim.disabled", "stack.created"];
  beforeAll(async () => {
    [a, b] = [await org(), await org()];
    admin = { accountId: b.accountId, email: b.email }; // B's owner is also active in A (as an admin would be)
    const seeds = () =>
      Array.from({ length: 120 }, (_, i): Seed => ({ action: ACTIONS[i % 3]!, actor: i % 4 === 3 ? "cli" : i % 2 ? admin : a, at: at(i) }));
    await insert(a.orgId, seeds());
    await insert(b.orgId, seeds().slice(0, 30));
  });

  it("pages newest first by 50 with Older and Newer links that walk the same rows both ways", async () => {
    const p1 = await auditPage(h.db, a.orgId, {});
    expect(p1.rows).toHaveLength(AUDIT_PAGE_SIZE);
    expect(p1.newer).toBeNull();
    const p2 = await auditPage(h.db, a.orgId, {}, { before: p1.older! });
    const p3 = await auditPage(h.db, a.orgId, {}, { before: p2.older! });
    expect(p3.rows).toHaveLength(20);
    expect(p3.older).toBeNull();
    const ids = [...p1.rows, ...p2.rows, ...p3.rows].map((r) => r.id);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    expect(new Set(ids).size).toBe(120);
    expect(p1.rows[0]!.at.getTime()).toBe(at(119).getTime());

    // Back: Newer from the last page gives the middle page again, then the first, then nothing newer.
    const back2 = await auditPage(h.db, a.orgId, {}, { after: p3.newer! });
    expect(back2.rows.map((r) => r.id)).toEqual(p2.rows.map((r) => r.id));
    const back1 = await auditPage(h.db, a.orgId, {}, { after: back2.newer! });
    expect(back1.rows.map((r) => r.id)).toEqual(p1.rows.map((r) => r.id));
    expect(back1.newer).toBeNull();
    expect(back1.older).toBe(p1.rows.at(-1)!.id);
  });

  it("filters by action, by person (account, email piece in any case, Admin CLI) and by time", async () => {
    const enabled = await all(a.orgId, { action: "scim.enabled" });
    expect(enabled).toHaveLength(40);
    expect(enabled.every((e) => e.action === "scim.enabled")).toBe(true);

    const byAdmin = await all(a.orgId, { actor: { accountId: admin.accountId } });
    expect(byAdmin).toHaveLength(30);
    expect(byAdmin.every((e) => e.actorEmail === admin.email)).toBe(true);
    const byEmail = await auditPage(h.db, a.orgId, { email: admin.email.slice(0, 14).toUpperCase() });
    expect(byEmail.rows).toHaveLength(30);
    expect(byEmail.rows.every((e) => e.actorAccountId === admin.accountId)).toBe(true);
    expect((await auditPage(h.db, a.orgId, { email: "%" })).rows).toHaveLength(0); // LIKE's wildcards are literal
    const cli = await all(a.orgId, { actor: { cli: true } });
    expect(cli).toHaveLength(30);
    expect(cli.every((e) => e.actorKind === "cli" && e.actorEmail === null)).toBe(true);

    // Events 20..29 (from at(20) inclusive, to at(30) exclusive), and combined with an action.
    const range = await all(a.orgId, { from: at(20), to: at(30) });
    expect(range.map((e) => e.at.getTime())).toEqual(Array.from({ length: 10 }, (_, k) => at(29 - k).getTime()));
    const both = await auditPage(h.db, a.orgId, {
      from: at(20),
      to: at(30),
      action: "scim.disabled",
      actor: { accountId: admin.accountId },
    });
    expect(both.rows.map((e) => e.at.getTime())).toEqual([at(25).getTime()]);
    expect((await auditPage(h.db, a.orgId, { from: new Date(now + HOUR) })).rows).toEqual([]);
  });

  it("never shows another organization's events", async () => {
    const everything = await all(a.orgId);
    expect(everything).toHaveLength(120);
    expect(everything.every((e) => e.orgId === a.orgId)).toBe(true);
    expect(everything.map((e) => e.id)).toEqual([...everything.map((e) => e.id)].sort((x, y) => y - x));
    for (const f of [{}, { actor: { accountId: admin.accountId } }, { email: admin.email }, { action: "scim.enabled" as const }]) {
      const rows = (await auditPage(h.db, b.orgId, f)).rows;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((e) => e.orgId === b.orgId)).toBe(true);
    }
    expect(await all(b.orgId)).toHaveLength(30);
  });

  it("lists the people who acted, most recent first, without the CLI", async () => {
    const actors = await auditActors(h.db, a.orgId);
    // Event 119 is the CLI's, 118 the owner's, 117 the admin's.
    expect(actors).toEqual([
      { accountId: a.accountId, email: a.email },
      { accountId: admin.accountId, email: admin.email },
    ]);
  });

  it("an email search looks at a bounded window per page and offers to look further", async () => {
    const c = await org();
    await insert(c.orgId, [{ action: "stack.created", actor: c, at: new Date(now - 2 * HOUR) }]);
    // Then more events than the window, none by a matching email (one statement: generate_series).
    await queryRows(
      h.db,
      sql`insert into ${auditEvents} (org_id, actor_kind, action) select ${c.orgId}, 'cli', 'scim.enabled' from generate_series(1, ${AUDIT_SCAN_WINDOW + 5})`,
    );
    const first = await auditPage(h.db, c.orgId, { email: c.email });
    expect(first.rows).toEqual([]);
    expect(first.windowed).toBe(true);
    expect(first.older).not.toBeNull();
    const further = await auditPage(h.db, c.orgId, { email: c.email }, { before: first.older! });
    expect(further.rows.map((e) => e.actorEmail)).toEqual([c.email]);
    expect(further.older).toBeNull();
    // The export's batches go through the whole history.
    expect((await all(c.orgId, { email: c.email })).map((e) => e.action)).toEqual(["stack.created"]);
  });
});

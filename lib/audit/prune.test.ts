import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { createOrganization } from "@/lib/orgs/create-organization";
import { pruneAuditEvents, retentionCutoff } from "./prune";

describe("audit retention", () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await openTestDatabase();
  });
  afterAll(() => h?.close());
  const DAY = 86_400_000;

  async function orgWith(ages: number[]) {
    const { org } = await createOrganization(h.db, {
      name: "Prune Co",
      ownerEmail: `p.${uniqueSuffix()}@example.com`,
      ownerPassword: "password-123",
    });
    // Oldest first, so ids follow time as they do when the portal records them.
    const sorted = [...ages].sort((a, b) => b - a);
    await h.db.insert(auditEvents).values(
      sorted.map((days) => ({
        orgId: org.id,
        actorKind: "cli",
        action: "scim.enabled",
        at: new Date(Date.now() - days * DAY),
        targetLabel: `${days}d`,
      })),
    );
    return org.id;
  }
  const left = async (orgId: string) =>
    (
      await h.db.select({ label: auditEvents.targetLabel }).from(auditEvents).where(eq(auditEvents.orgId, orgId)).orderBy(auditEvents.id)
    ).map((r) => r.label);

  it("deletes one org's events older than the retention, in batches, and keeps newer ones and other orgs'", async () => {
    const a = await orgWith([400, 390, 380, 370, 366, 364, 10, 0]);
    const b = await orgWith([400, 1]);
    expect(await pruneAuditEvents(h.db, { before: retentionCutoff(365), orgId: a, batch: 2 })).toBe(5);
    expect(await left(a)).toEqual(["364d", "10d", "0d"]);
    expect(await left(b)).toEqual(["400d", "1d"]);
    expect(await pruneAuditEvents(h.db, { before: retentionCutoff(365), orgId: a })).toBe(0);
  });

  it("deletes every org's old events", async () => {
    const a = await orgWith([500, 30]);
    const b = await orgWith([450]);
    expect(await pruneAuditEvents(h.db, { before: retentionCutoff(365), batch: 1 })).toBeGreaterThanOrEqual(2);
    expect(await left(a)).toEqual(["30d"]);
    expect(await left(b)).toEqual([]);
  });

  it("the cut-off is the configured number of days back", () => {
    const now = new Date("2026-06-30T12:00:00Z");
    expect(retentionCutoff(30, now).toISOString()).toBe("2026-05-31T12:00:00.000Z");
  });
});

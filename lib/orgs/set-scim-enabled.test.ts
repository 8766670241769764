import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { auditEvents } from "@/db/schema";
import { openTestDatabase, uniqueSuffix } from "@/db/test-support";
import { CLI_ACTOR } from "@/lib/audit/record";
import { createOrganization } from "./create-organization";
import { setScimEnabled } from "./set-scim-enabled";

describe("setScimEnabled", () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await openTestDatabase();
  });
  afterAll(() => h?.close());

  it("records scim.enabled and scim.disabled with who did it, once per real change", async () => {
    const email = `s.${uniqueSuffix()}@example.com`;
    const { org, ownerAccountId } = await createOrganization(h.db, { name: "Switch Co", ownerEmail: email, ownerPassword: "password-123" });
    const web = { kind: "web" as const, accountId: ownerAccountId, email, ip: "203.0.113.9", userAgent: "Test/1.0" };
    expect((await setScimEnabled(h.db, org.id, true, web)).scimEnabledChangedBy).toBe(ownerAccountId);
    await setScimEnabled(h.db, org.id, true, web); // already on: nothing to record
    expect((await setScimEnabled(h.db, org.id, false, CLI_ACTOR)).scimEnabled).toBe(false);
    const events = await h.db.select().from(auditEvents).where(eq(auditEvents.orgId, org.id)).orderBy(auditEvents.id);
    expect(events.map((e) => [e.action, e.actorKind, e.actorEmail, e.ip])).toEqual([
      ["scim.enabled", "web", email, "203.0.113.9"],
      ["scim.disabled", "cli", null, null],
    ]);
    expect(events[0]).toMatchObject({
      targetType: "organization",
      targetId: org.id,
      targetLabel: "Switch Co",
      userAgent: "Test/1.0",
      actorAccountId: ownerAccountId,
    });
    await expect(setScimEnabled(h.db, "blt0000000000000000", true, CLI_ACTOR)).rejects.toThrow("No organization");
  });
});

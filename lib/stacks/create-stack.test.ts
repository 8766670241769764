import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { stacks } from "@/db/schema";
import { auditEventsOf, byWeb, orgWithOwner, testWebActor } from "@/lib/audit/test-support";
import { h, withScimDatabase } from "@/lib/provisioning/test-harness";
import { addCustomRole, createStack } from "./create-stack";

// Stacks and custom roles made as the Stacks page's actions make them (in a transaction), each with its audit event.
withScimDatabase();
const setup = () => orgWithOwner(h.db, "Stack Co");

describe("stacks in the audit trail", () => {
  it("a new stack and a custom role are recorded once each, by name", async () => {
    const { orgId, owner } = await setup();
    const actor = testWebActor(owner);
    const stack = await h.db.transaction((tx) => createStack(tx, actor, orgId, "  Website  "));
    expect(await auditEventsOf(h.db, orgId)).toMatchObject([
      {
        action: "stack.created",
        ...byWeb(owner),
        targetType: "stack",
        targetId: stack.id,
        targetLabel: "Website",
        details: { roles: ["Admin", "Developer", "Content Manager"] },
      },
    ]);

    const role = await h.db.transaction((tx) => addCustomRole(tx, actor, orgId, stack.id, "Translator"));
    const events = await auditEventsOf(h.db, orgId);
    expect(events.map((e) => e.action)).toEqual(["stack.created", "stack_role.created"]);
    expect(events[1]).toMatchObject({
      ...byWeb(owner),
      targetType: "stack_role",
      targetId: role.id,
      targetLabel: "Translator",
      details: { stackId: stack.id, stack: "Website" },
    });
  });

  it("a refused name records nothing, and a failure later in the same transaction takes the earlier stack's event with it", async () => {
    const { orgId, owner } = await setup();
    const actor = testWebActor(owner);
    await h.db.transaction((tx) => createStack(tx, actor, orgId, "Docs"));
    await expect(h.db.transaction((tx) => createStack(tx, actor, orgId, "docs"))).rejects.toThrow(/already exists/);
    await expect(h.db.transaction((tx) => addCustomRole(tx, actor, orgId, "blt0000000000000000", "Editor"))).rejects.toThrow(
      /does not exist/,
    );
    // Two stacks in one transaction (as the seed makes them): the second is refused after the first was recorded.
    await expect(
      h.db.transaction(async (tx) => {
        await createStack(tx, actor, orgId, "Blog");
        await createStack(tx, actor, orgId, "Docs");
      }),
    ).rejects.toThrow(/already exists/);
    expect((await auditEventsOf(h.db, orgId)).map((e) => [e.action, e.targetLabel])).toEqual([["stack.created", "Docs"]]);
    expect((await h.db.select({ name: stacks.name }).from(stacks).where(eq(stacks.orgId, orgId))).map((s) => s.name)).toEqual(["Docs"]);
  });
});

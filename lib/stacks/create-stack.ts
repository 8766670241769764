import { and, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { BUILT_IN_STACK_ROLES, stackRoles, stacks, type Stack } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import { AppError, uniqueViolation } from "@/lib/errors";
import { newOpaqueId } from "@/lib/ids";

export const stackNameSchemaMax = 100;

/** Creates a stack with the built-in roles (Admin, Developer, Content Manager), and its audit event. Run inside a transaction. */
export async function createStack(tx: DbOrTx, actor: AuditActor, orgId: string, rawName: string): Promise<Stack> {
  const name = rawName.trim();
  if (!name) throw new AppError("invalid_input", "A stack needs a name.");
  if (name.length > stackNameSchemaMax) throw new AppError("invalid_input", `A stack name has at most ${stackNameSchemaMax} characters.`);
  let stack: Stack | undefined;
  try {
    [stack] = await tx.insert(stacks).values({ id: newOpaqueId(), orgId, name }).returning();
  } catch (e) {
    if (uniqueViolation(e)) throw new AppError("conflict", `A stack named "${name}" already exists in this organization.`);
    throw e;
  }
  if (!stack) throw new Error("insert returned no row");
  await tx.insert(stackRoles).values(BUILT_IN_STACK_ROLES.map((role) => ({ stackId: stack.id, name: role, builtIn: true })));
  await recordAudit(tx, actor, {
    orgId,
    action: "stack.created",
    target: { type: "stack", id: stack.id, label: stack.name },
    details: { roles: [...BUILT_IN_STACK_ROLES] },
  });
  return stack;
}

/** The org's stack with this name (case-insensitive), if any. */
export async function findStackByName(db: DbOrTx, orgId: string, name: string): Promise<Stack | undefined> {
  const [row] = await db
    .select()
    .from(stacks)
    .where(and(eq(stacks.orgId, orgId), sql`lower(${stacks.name}) = lower(${name.trim()})`))
    .limit(1);
  return row;
}

/** Adds a custom role to one of the org's stacks (names are unique per stack, ignoring case), and its audit event. Run inside a transaction. */
export async function addCustomRole(tx: DbOrTx, actor: AuditActor, orgId: string, stackId: string, rawName: string) {
  const name = rawName.trim();
  if (!name) throw new AppError("invalid_input", "A role needs a name.");
  if (name.length > 60) throw new AppError("invalid_input", "A role name has at most 60 characters.");
  const [stack] = await tx
    .select({ id: stacks.id, name: stacks.name })
    .from(stacks)
    .where(and(eq(stacks.orgId, orgId), eq(stacks.id, stackId)))
    .limit(1);
  if (!stack) throw new AppError("not_found", "That stack does not exist in this organization.");
  let role: typeof stackRoles.$inferSelect | undefined;
  try {
    [role] = await tx.insert(stackRoles).values({ stackId, name, builtIn: false }).returning();
  } catch (e) {
    if (uniqueViolation(e)) throw new AppError("conflict", `This stack already has a role named "${name}".`);
    throw e;
  }
  if (!role) throw new Error("insert returned no row");
  await recordAudit(tx, actor, {
    orgId,
    action: "stack_role.created",
    target: { type: "stack_role", id: role.id, label: role.name },
    details: { stackId: stack.id, stack: stack.name },
  });
  return role;
}

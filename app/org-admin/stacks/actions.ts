"use server";

import { revalidatePath } from "next/cache";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { orgAdminContext } from "@/lib/org-admin/context";
import { addCustomRole, createStack } from "@/lib/stacks/create-stack";

export type CreateStackState = { error?: string; created?: string } | undefined;

/** Owner/Admin only: creates a stack with the built-in roles in the current organization. */
export async function createStackAction(_prev: CreateStackState, formData: FormData): Promise<CreateStackState> {
  const ctx = await orgAdminContext("/org-admin/stacks");
  if (ctx.kind !== "admin") return { error: "You need to be an Owner or Admin to create stacks." };
  const name = String(formData.get("name") ?? "");
  try {
    const db = await getDb();
    const stack = await db.transaction((tx) => createStack(tx, ctx.org.id, name));
    logger().info({ event: "stack_created", orgId: ctx.org.id, stackId: stack.id, by: ctx.account.id }, "stack created");
    revalidatePath("/org-admin/stacks");
    return { created: stack.name };
  } catch (e) {
    if (e instanceof AppError) return { error: e.message };
    logger().error({ err: e instanceof Error ? e.message : String(e), orgId: ctx.org.id }, "create stack failed");
    return { error: "The stack could not be created. Please try again." };
  }
}

export type AddRoleState = { error?: string; added?: string } | undefined;

/** Owner/Admin only: adds a custom role to a stack of the current organization. */
export async function addRoleAction(_prev: AddRoleState, formData: FormData): Promise<AddRoleState> {
  const ctx = await orgAdminContext("/org-admin/stacks");
  if (ctx.kind !== "admin") return { error: "You need to be an Owner or Admin to add roles." };
  try {
    const db = await getDb();
    const role = await db.transaction((tx) => addCustomRole(tx, ctx.org.id, String(formData.get("stackId") ?? ""), String(formData.get("name") ?? "")));
    logger().info({ event: "stack_role_created", orgId: ctx.org.id, roleId: role.id, by: ctx.account.id }, "custom stack role created");
    revalidatePath("/org-admin/stacks");
    return { added: role.name };
  } catch (e) {
    if (e instanceof AppError) return { error: e.message };
    logger().error({ err: e instanceof Error ? e.message : String(e), orgId: ctx.org.id }, "add stack role failed");
    return { error: "The role could not be added. Please try again." };
  }
}

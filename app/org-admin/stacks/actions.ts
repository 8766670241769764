"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { webActor } from "@/lib/audit/actor";
import { logger } from "@/lib/logger";
import { adminFormAction, field } from "@/lib/org-admin/action";
import { addCustomRole, createStack } from "@/lib/stacks/create-stack";

const PATH = "/org-admin/stacks";

/** Creates a stack with the built-in roles in the current organization; answers its name. */
export const createStackAction = adminFormAction("stack_created", z.object({ name: field(2000) }), async ({ name }, ctx) => {
  const actor = await webActor(ctx.account);
  const stack = await (await getDb()).transaction((tx) => createStack(tx, actor, ctx.org.id, name));
  logger().info({ event: "stack_created", orgId: ctx.org.id, stackId: stack.id, by: ctx.account.id }, "stack created");
  revalidatePath(PATH);
  return stack.name;
});

/** Adds a custom role to a stack of the current organization; answers its name. */
export const addRoleAction = adminFormAction(
  "stack_role_created",
  z.object({ stackId: field(100), name: field(2000) }),
  async ({ stackId, name }, ctx) => {
    const actor = await webActor(ctx.account);
    const role = await (await getDb()).transaction((tx) => addCustomRole(tx, actor, ctx.org.id, stackId, name));
    logger().info({ event: "stack_role_created", orgId: ctx.org.id, roleId: role.id, by: ctx.account.id }, "custom stack role created");
    revalidatePath(PATH);
    return role.name;
  },
);

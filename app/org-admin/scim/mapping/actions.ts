"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { previewMapping, removeMapping, saveMapping, searchGroups, type MappingPreview } from "@/lib/access/mappings";
import type { AccessChanges } from "@/lib/access/recompute";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { orgAdminContext } from "@/lib/org-admin/context";

const PATH = "/org-admin/scim/mapping";
type Result<T> = { ok: true; value: T } | { ok: false; error: string };

const inputSchema = z.object({
  groupId: z.string().min(1, "Choose a SCIM group."),
  orgRole: z.enum(["admin", "member"]),
  stackRoles: z.record(z.string(), z.string().nullable()),
});

async function run<T>(work: (orgId: string, accountId: string) => Promise<T>): Promise<Result<T>> {
  const ctx = await orgAdminContext(PATH);
  if (ctx.kind !== "admin") return { ok: false, error: "You need to be an Owner or Admin of this organization." };
  try {
    return { ok: true, value: await work(ctx.org.id, ctx.account.id) };
  } catch (e) {
    if (e instanceof AppError) return { ok: false, error: e.message };
    if (e instanceof z.ZodError) return { ok: false, error: e.issues[0]?.message ?? "Check the form." };
    logger().error({ err: e instanceof Error ? e.message : String(e), orgId: ctx.org.id }, "group mapping action failed");
    return { ok: false, error: "Something went wrong on our side. Please try again." };
  }
}

export async function searchGroupsAction(query: string) {
  return run(async (orgId) => searchGroups(await getDb(), orgId, String(query).slice(0, 200)));
}

export async function previewMappingAction(input: unknown): Promise<Result<MappingPreview>> {
  return run(async (orgId) => previewMapping(await getDb(), orgId, inputSchema.parse(input)));
}

export async function saveMappingAction(input: unknown): Promise<Result<AccessChanges>> {
  return run(async (orgId, accountId) => {
    const changes = await saveMapping(await getDb(), orgId, inputSchema.parse(input), accountId);
    logger().info({ event: "group_mapping_saved", orgId, by: accountId, roleChanges: changes.roleChanges, stackGrants: changes.stackGrants, stackRevocations: changes.stackRevocations }, "group mapping saved");
    revalidatePath(PATH);
    return changes;
  });
}

export async function removeMappingAction(groupId: string): Promise<Result<AccessChanges>> {
  return run(async (orgId, accountId) => {
    const changes = await removeMapping(await getDb(), orgId, String(groupId));
    logger().info({ event: "group_mapping_removed", orgId, by: accountId, groupId }, "group mapping removed");
    revalidatePath(PATH);
    return changes;
  });
}

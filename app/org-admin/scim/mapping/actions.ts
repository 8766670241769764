"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { memberCounts, NO_MEMBERS, type MemberCounts } from "@/lib/access/group-counts";
import { searchGroups } from "@/lib/access/mapping-lists";
import { previewMapping, removeMapping, saveMapping, type MappingPreview } from "@/lib/access/mappings";
import type { AccessChanges } from "@/lib/access/recompute";
import { webActor } from "@/lib/audit/actor";
import { logger } from "@/lib/logger";
import { adminAction } from "@/lib/org-admin/action";

const PATH = "/org-admin/scim/mapping";

const inputSchema = z.object({
  groupId: z.string().min(1, "Choose a SCIM group."),
  orgRole: z.enum(["admin", "member"]),
  stackRoles: z.record(z.string(), z.string().nullable()),
});

export const searchGroupsAction = adminAction("search_groups", z.string(), async (query, ctx) =>
  searchGroups(await getDb(), ctx.org.id, query.slice(0, 200)),
);

export const previewMappingAction = adminAction("preview_mapping", inputSchema, async (input, ctx): Promise<MappingPreview> =>
  previewMapping(await getDb(), ctx.org.id, input),
);

/** What a save answers: the access it changed, and whom the mapping now applies to (and how many more are inactive). */
export type SavedMapping = { changes: AccessChanges; members: MemberCounts };

export const saveMappingAction = adminAction("group_mapping_saved", inputSchema, async (input, ctx): Promise<SavedMapping> => {
  const db = await getDb();
  const changes = await saveMapping(db, await webActor(ctx.account), ctx.org.id, input, ctx.account.id);
  const members = (await memberCounts(db, ctx.org.id, [input.groupId])).get(input.groupId) ?? NO_MEMBERS;
  logger().info(
    {
      event: "group_mapping_saved",
      orgId: ctx.org.id,
      by: ctx.account.id,
      roleChanges: changes.roleChanges,
      stackGrants: changes.stackGrants,
      stackRevocations: changes.stackRevocations,
    },
    "group mapping saved",
  );
  revalidatePath(PATH);
  return { changes, members };
});

export const removeMappingAction = adminAction(
  "group_mapping_removed",
  z.string().max(100),
  async (groupId, ctx): Promise<AccessChanges> => {
    const changes = await removeMapping(await getDb(), await webActor(ctx.account), ctx.org.id, groupId);
    logger().info({ event: "group_mapping_removed", orgId: ctx.org.id, by: ctx.account.id, groupId }, "group mapping removed");
    revalidatePath(PATH);
    return changes;
  },
);

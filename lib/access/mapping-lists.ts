import { and, asc, eq, sql } from "drizzle-orm";
import { type DbOrTx } from "@/db/client";
import { containsPattern } from "@/db/sql";
import { groupMappings, groupMappingStackRoles, scimGroups, stackRoles, stacks } from "@/db/schema";
import { memberCounts, NO_MEMBERS, type MemberCounts } from "./group-counts";

// Reading mappings and groups for the mapping editor: the saved mappings with their members, the SCIM Group search.
// (Saving, removing and previewing a mapping: mappings.ts.)

export type MappingRow = {
  groupId: string;
  group: string;
  /** The group's members with access through it, and its deactivated ones. */
  members: MemberCounts;
  orgRole: "admin" | "member";
  stackRoles: { stackId: string; stack: string; roleId: string; role: string }[];
  updatedAt: Date;
};

export async function listMappings(db: DbOrTx, orgId: string): Promise<MappingRow[]> {
  const rows = await db
    .select({
      groupId: groupMappings.groupId,
      group: scimGroups.displayName,
      orgRole: groupMappings.orgRole,
      updatedAt: groupMappings.updatedAt,
      stackRoles: sql<
        MappingRow["stackRoles"]
      >`coalesce((select json_agg(json_build_object('stackId', s.id, 'stack', s.name, 'roleId', r.id, 'role', r.name) order by s.name)
        from ${groupMappingStackRoles} x join ${stacks} s on s.id = x.stack_id join ${stackRoles} r on r.id = x.stack_role_id where x.group_id = group_mappings.group_id), '[]'::json)`,
    })
    .from(groupMappings)
    .innerJoin(scimGroups, eq(scimGroups.id, groupMappings.groupId))
    .where(eq(groupMappings.orgId, orgId))
    .orderBy(asc(sql`lower(${scimGroups.displayName})`));
  const counts = await memberCounts(
    db,
    orgId,
    rows.map((r) => r.groupId),
  );
  return rows.map((r) => ({ ...r, members: counts.get(r.groupId) ?? NO_MEMBERS }));
}

/** Server-side search for the SCIM Group dropdown (an org can have 10,000 groups). */
export async function searchGroups(
  db: DbOrTx,
  orgId: string,
  query: string,
  limit = 20,
): Promise<{ id: string; displayName: string; members: MemberCounts }[]> {
  const contains = containsPattern(query);
  const prefix = contains.slice(1); // "text%": prefix matches first
  const found = await db
    .select({ id: scimGroups.id, displayName: scimGroups.displayName })
    .from(scimGroups)
    .where(and(eq(scimGroups.orgId, orgId), sql`lower(${scimGroups.displayName}) like ${contains}`))
    .orderBy(sql`lower(${scimGroups.displayName}) like ${prefix} desc`, asc(sql`lower(${scimGroups.displayName})`))
    .limit(limit);
  const counts = await memberCounts(
    db,
    orgId,
    found.map((g) => g.id),
  );
  return found.map((g) => ({ ...g, members: counts.get(g.id) ?? NO_MEMBERS }));
}

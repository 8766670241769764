import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { uuidArray } from "@/db/sql";
import { scimGroupMembers, scimGroups, scimUsers } from "@/db/schema";
import { isUuid } from "@/lib/ids";

/**
 * How many of a group's members have access through it (active) and how many are deactivated (inactive). The admin
 * pages count people whose access is at stake, and say how many more are inactive; the SCIM `members` of a group
 * (scim_groups.member_count) still counts everyone the IdP put in it.
 *
 * Only the inactive side is counted: active = member_count (exact, maintained by every membership statement) minus
 * inactive. The count is one join of the org's deactivated users (the partial index scim_users_org_inactive_idx,
 * index-only) with the group's members (the member table's primary key, index-only); PostgreSQL walks whichever side
 * is smaller, so its cost is that of the smaller of the group and the org's deactivated people — never a scan of the
 * org's users. A page of groups is counted in one statement.
 */
export type MemberCounts = { active: number; inactive: number };

export const NO_MEMBERS: MemberCounts = { active: 0, inactive: 0 };

/** The inactive members of each of `groupIds` (an SQL expression giving a uuid[]), as rows of (group_id, n). */
function inactiveByGroup(orgId: string, groupIds: SQL): SQL {
  return sql`select gm.group_id, count(*)::int as n from ${scimUsers} su join ${scimGroupMembers} gm on gm.user_id = su.id
    where su.org_id = ${orgId} and not su.active and gm.org_id = ${orgId} and gm.group_id = any(${groupIds}) group by gm.group_id`;
}

/** The inactive members of one group, as a scalar subquery (for statements that say more about the group). */
export function inactiveMembersOf(orgId: string, groupId: string): SQL {
  return sql`(select count(*)::int from ${scimUsers} su join ${scimGroupMembers} gm on gm.user_id = su.id
    where su.org_id = ${orgId} and not su.active and gm.group_id = ${groupId}::uuid)`;
}

/** Active and inactive members of each group (groups not in the org are left out of the map). */
export async function memberCounts(db: DbOrTx, orgId: string, groupIds: string[]): Promise<Map<string, MemberCounts>> {
  const ids = [...new Set(groupIds.filter(isUuid))];
  if (!ids.length) return new Map();
  const rows = await queryRows<{ id: string; members: number; inactive: number }>(
    db,
    sql`select g.id, g.member_count as members, coalesce(i.n, 0)::int as inactive
        from ${scimGroups} g left join (${inactiveByGroup(orgId, uuidArray(ids))}) i on i.group_id = g.id
        where g.org_id = ${orgId} and g.id = any(${uuidArray(ids)})`,
  );
  return new Map(rows.map((r) => [r.id, { active: Math.max(0, r.members - r.inactive), inactive: r.inactive }]));
}

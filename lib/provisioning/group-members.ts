import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { uuidArray } from "@/db/sql";
import { isUuid } from "@/lib/ids";
import { invalidValue } from "@/lib/scim/errors";
import { groupMappings, scimGroupMembers, scimUsers } from "@/db/schema";
import { quote } from "@/lib/scim/quote";

/**
 * Group membership changes as set-based SQL. Each statement touches only the rows named in the request (plus, for
 * a full replace, the rows that leave): the cost never depends on how many members the group has otherwise, and
 * the member list is never loaded to diff it.
 */

/** The ids as a set; 400 for one that is not an id at all. */
export function checkMemberIds(ids: string[]): string[] {
  const unique = [...new Set(ids)];
  const bad = unique.filter((id) => !isUuid(id));
  if (bad.length) throw invalidValue(`No User with id "${quote(bad[0]!)}" exists in this organization, so it cannot be a group member.`);
  return unique;
}

/** Adds users (of this org) to the group; returns the ids that were not members before. Unknown ids → 400. */
export async function addMembers(tx: DbOrTx, orgId: string, groupId: string, ids: string[]): Promise<string[]> {
  const wanted = checkMemberIds(ids);
  if (!wanted.length) return [];
  const rows = await queryRows<{ user_id: string | null; known: number }>(
    tx,
    sql`with wanted as (select unnest(${uuidArray(wanted)}) as id),
        known as (select su.id from ${scimUsers} su join wanted w on w.id = su.id where su.org_id = ${orgId}),
        added as (
          insert into ${scimGroupMembers} (org_id, group_id, user_id)
          select ${orgId}, ${groupId}::uuid, k.id from known k
          on conflict do nothing
          returning user_id
        )
        select null::uuid as user_id, (select count(*)::int from known) as known
        union all select user_id, 0 from added`,
  );
  const known = rows[0]?.known ?? 0;
  if (known < wanted.length) {
    const found = await queryRows<{ id: string }>(
      tx,
      sql`select id from ${scimUsers} where org_id = ${orgId} and id = any(${uuidArray(wanted)})`,
    );
    const present = new Set(found.map((f) => f.id));
    const missing = wanted.find((id) => !present.has(id));
    throw invalidValue(`No User with id "${quote(String(missing))}" exists in this organization, so it cannot be a group member.`);
  }
  return rows
    .slice(1)
    .map((r) => r.user_id!)
    .filter(Boolean);
}

/** Removes these users from the group; returns the ids that were members. Ids that are not members are ignored. */
export async function removeMembers(tx: DbOrTx, groupId: string, ids: string[]): Promise<string[]> {
  const valid = [...new Set(ids)].filter(isUuid);
  if (!valid.length) return [];
  const rows = await queryRows<{ user_id: string }>(
    tx,
    sql`delete from ${scimGroupMembers} where group_id = ${groupId}::uuid and user_id = any(${uuidArray(valid)}) returning user_id`,
  );
  return rows.map((r) => r.user_id);
}

/** Removes every member not in `keep`; returns the removed ids. */
export async function removeMembersExcept(tx: DbOrTx, groupId: string, keep: string[]): Promise<string[]> {
  const valid = [...new Set(keep)].filter(isUuid);
  const rows = await queryRows<{ user_id: string }>(
    tx,
    valid.length
      ? sql`delete from ${scimGroupMembers} where group_id = ${groupId}::uuid and user_id <> all(${uuidArray(valid)}) returning user_id`
      : sql`delete from ${scimGroupMembers} where group_id = ${groupId}::uuid returning user_id`,
  );
  return rows.map((r) => r.user_id);
}

export async function groupIsMapped(tx: DbOrTx, groupId: string): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(tx, sql`select 1 as one from ${groupMappings} where group_id = ${groupId}::uuid limit 1`);
  return rows.length > 0;
}

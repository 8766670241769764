import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { accounts, groupMappingStackRoles, groupMappings, memberships, scimGroupMembers, scimUsers } from "@/db/schema";
import { CHANGED_ACCOUNTS, NO_CHANGES, SAMPLE, type AccessChanges, type RoleChange } from "./recompute";
import { RULED_MEMBERSHIP } from "./rules";
import { namedStackChanges, type StackPair, type StackReportRow } from "./stack-changes";

/**
 * A change of what one group G gives — its mapping saved, changed or removed, G deleted or emptied — applied to
 * G's members with group-level reasoning instead of re-deriving each member from all their groups:
 * - Org role: a member's role is the highest of what G gives and what their other groups give (rules.ts). When G
 *   gives the same role before and after (Member and no mapping count alike: Member is the floor), nobody's role
 *   moves and nothing is read. When G now gives Admin, its members who are Members become Admins. When G stops
 *   giving Admin, its members who are Admins become what their other groups give.
 * - Stack roles are not stored (grants.ts): a pair G starts (stops) granting is gained (lost) by each member of G
 *   none of whose other groups grants it.
 * One statement: the group's members the rules apply to are read once, the roles that move are written, and the
 * report (counts, a sample with names, the accounts) is computed beside them.
 */

export type MappedRole = "admin" | "member" | null;

export type GroupChange = {
  groupId: string;
  /** The org role G's mapping gave before and gives after (null: no mapping). */
  roleBefore: MappedRole;
  roleAfter: MappedRole;
  /** The (stack, role) pairs G granted before and grants after. */
  before: StackPair[];
  after: StackPair[];
};

/** G's members the rules apply to, with their role now: an active SCIM user, a SCIM-managed membership, not the Owner. */
export function ruledMembers(orgId: string, groupId: string): SQL {
  return sql`select su.id as user_id, su.account_id, ms.role from ${scimGroupMembers} gm
    join ${scimUsers} su on su.id = gm.user_id and su.org_id = ${orgId} and su.active
    ${RULED_MEMBERSHIP}
    where gm.group_id = ${groupId}::uuid`;
}

/**
 * Rows `(account_id, before, after)` of `t` (ruledMembers, as `t`) whose org role the change moves — a relation, or
 * undefined when G gives the same role before and after.
 */
export function roleMoves(change: Pick<GroupChange, "groupId" | "roleBefore" | "roleAfter">): SQL | undefined {
  const was = change.roleBefore === "admin";
  const is = change.roleAfter === "admin";
  if (was === is) return undefined;
  if (is) return sql`select t.account_id, t.role as before, 'admin'::org_role as after from t where t.role = 'member'`;
  // Mapped roles are Admin or Member: whoever no other group makes an Admin becomes a Member (an anti-join).
  return sql`select t.account_id, t.role as before, 'member'::org_role as after from t
    where t.role = 'admin' and not exists (
      select 1 from ${scimGroupMembers} o join ${groupMappings} gm on gm.group_id = o.group_id and gm.org_role = 'admin'
      where o.user_id = t.user_id and o.group_id <> ${change.groupId}::uuid)`;
}

/** Rows `(account_id, stack_id, stack_role_id, kind)` of `t`: the pairs each member gains ('gained') and loses ('lost'). */
export function stackMoves(change: Pick<GroupChange, "groupId" | "before" | "after">): SQL | undefined {
  const key = (p: StackPair) => `${p.stackId}\u0000${p.roleId}`;
  const before = new Set(change.before.map(key));
  const after = new Set(change.after.map(key));
  const delta = [
    ...change.after.filter((p) => !before.has(key(p))).map((p) => ({ ...p, kind: "gained" })),
    ...change.before.filter((p) => !after.has(key(p))).map((p) => ({ ...p, kind: "lost" })),
  ];
  if (!delta.length) return undefined;
  const list = (f: (d: (typeof delta)[number]) => string) => delta.map(f).join(",");
  return sql`select t.account_id, d.stack_id, d.stack_role_id, d.kind
    from unnest(string_to_array(${list((d) => d.stackId)}, ','), string_to_array(${list((d) => d.roleId)}, ',')::uuid[],
      string_to_array(${list((d) => d.kind)}, ',')) as d(stack_id, stack_role_id, kind)
    cross join t
    where not exists (
      select 1 from ${scimGroupMembers} o join ${groupMappingStackRoles} x on x.group_id = o.group_id
      where o.user_id = t.user_id and o.group_id <> ${change.groupId}::uuid and x.stack_id = d.stack_id and x.stack_role_id = d.stack_role_id)`;
}

/** G's mapping as saved now — its org role (null: not mapped) and its (stack, role) pairs — in one statement. */
export async function savedMapping(tx: DbOrTx, groupId: string): Promise<{ role: MappedRole; pairs: StackPair[] }> {
  const [row] = await queryRows<{ role: MappedRole; pairs: StackPair[] }>(
    tx,
    sql`select (select org_role::text from ${groupMappings} where group_id = ${groupId}::uuid) as role,
      coalesce((select json_agg(json_build_object('stackId', stack_id, 'roleId', stack_role_id)) from ${groupMappingStackRoles}
        where group_id = ${groupId}::uuid), '[]'::json) as pairs`,
  );
  return { role: row?.role ?? null, pairs: row?.pairs ?? [] };
}

/** Everyone in G stops getting what G gives (G is about to be deleted or emptied): applied, and what it changed. */
export async function withdrawGroup(tx: DbOrTx, orgId: string, groupId: string): Promise<AccessChanges> {
  const saved = await savedMapping(tx, groupId);
  return applyGroupChange(tx, orgId, { groupId, roleBefore: saved.role, roleAfter: null, before: saved.pairs, after: [] });
}

/**
 * The CTEs a change of what G gives is computed from, for the save (applyGroupChange) and its preview alike: `t`
 * (G's members the rules apply to, read once), `moves` (roleMoves: `account_id, before, after`) and `changes`
 * (stackMoves: `account_id, stack_id, stack_role_id, kind`), each empty when nothing of its kind moves.
 */
export function groupChangeCtes(orgId: string, change: GroupChange): SQL {
  const roles = roleMoves(change) ?? sql`select null::uuid as account_id, null::org_role as before, null::org_role as after where false`;
  const stacks =
    stackMoves(change) ??
    sql`select null::uuid as account_id, null::text as stack_id, null::uuid as stack_role_id, null::text as kind where false`;
  return sql`t as materialized (${ruledMembers(orgId, change.groupId)}), moves as (${roles}), changes as (${stacks})`;
}

/** Applies a change of what G gives to G's members (one statement) and says what it changed. */
export async function applyGroupChange(tx: DbOrTx, orgId: string, change: GroupChange): Promise<AccessChanges> {
  if (!roleMoves(change) && !stackMoves(change)) return NO_CHANGES;
  const [row] = await queryRows<StackReportRow & { role_changes: number; role_sample: RoleChange[] | null }>(
    tx,
    sql`with ${groupChangeCtes(orgId, change)},
      -- Never leave the org without an Owner or Admin: demotions go ahead when an Owner, or an Admin this statement
      -- does not demote, remains. Checked once for the whole statement (a check per row would walk the org's admins
      -- once per row).
      keeps_admin as (select exists (select 1 from ${memberships} x where x.org_id = ${orgId} and x.role = 'owner')
        or exists (select 1 from ${memberships} x where x.org_id = ${orgId} and x.role = 'admin'
          and x.account_id not in (select account_id from moves where after = 'member')) as ok),
      changed as (
        update ${memberships} m set role = mv.after, updated_at = now()
        from moves mv
        where m.org_id = ${orgId} and m.account_id = mv.account_id and m.role = mv.before
          and (mv.after <> 'member' or (select ok from keeps_admin))
        returning m.account_id, mv.before::text as from_role, mv.after::text as to_role
      )
      select (select count(*)::int from changed) as role_changes,
        (select json_agg(json_build_object('accountId', c.account_id, 'email', a.email, 'from', c.from_role, 'to', c.to_role))
           from (select * from changed limit ${SAMPLE}) c join ${accounts} a on a.id = c.account_id) as role_sample,
        (select count(*)::int from changes where kind = 'gained') as granted,
        (select count(*)::int from changes where kind = 'lost') as revoked,
        ${namedStackChanges("gained", SAMPLE)} as granted_sample, ${namedStackChanges("lost", SAMPLE)} as revoked_sample,
        (select json_agg(account_id) from (select account_id from changed union select account_id from changes limit ${CHANGED_ACCOUNTS}) c) as accounts`,
  );
  const accountIds = row?.accounts ?? [];
  return {
    roleChanges: row?.role_changes ?? 0,
    stackGrants: row?.granted ?? 0,
    stackRevocations: row?.revoked ?? 0,
    sample: { roles: row?.role_sample ?? [], granted: row?.granted_sample ?? [], revoked: row?.revoked_sample ?? [] },
    ...(accountIds.length ? { accounts: accountIds } : {}),
  };
}

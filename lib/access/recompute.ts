import { sql, type SQL } from "drizzle-orm";
import { inOrder, queryRows, type DbOrTx } from "@/db/client";
import { uuidArray } from "@/db/sql";
import { accounts, groupMappings, memberships, scimUsers, stackRoles, stacks } from "@/db/schema";
import { desiredRoles, desiredStacks } from "./rules";
import { stackChanges, type StackChange, type StackEffect } from "./stack-changes";

/**
 * Effective access of SCIM-managed members (PRODUCT.md), by the rules of rules.ts: org role = the highest role among
 * the mappings of the groups they are in (Member when none); stack roles = the union of those groups' stack roles.
 * Deactivated SCIM users have no membership at all. The Owner is never changed by SCIM.
 *
 * The org role is materialized in `memberships.role` (it is listed and checked org-wide). `recomputeAccess` brings
 * the roles of a *set of accounts* in line with the rules, in one set-based statement whose cost depends on the size
 * of that set — never on the size of the organization or of a group that is not touched. Every SCIM request that
 * changes people goes through it; a change of what a whole group gives (a mapping saved or removed, a group deleted)
 * goes through group-change.ts instead. Stack roles given by groups are not stored (grants.ts reads them from the
 * mappings): a change only reports what it gave and took (stack-changes.ts), from the StackEffect its caller names.
 */

export type AccessTarget =
  /**
   * The accounts behind these SCIM user ids — with `joinedOrLeft`, people who joined or left that group: their org
   * role is re-derived only if the group gives Admin when the statement runs (joining or leaving a group that gives
   * Member, or nothing, moves nobody's role: Member is the floor), and the stack roles reported are the group's own.
   */
  | { userIds: string[]; joinedOrLeft?: string }
  /** Any set of account ids, as a SQL subquery that selects `account_id`. */
  | { accounts: SQL };

export type RoleChange = { accountId: string; email: string; from: string; to: string };
export type { StackChange, StackEffect };

export type AccessChanges = {
  roleChanges: number;
  stackGrants: number;
  stackRevocations: number;
  /** The first few changes of each kind, for the provisioning log and the UI. */
  sample: { roles: RoleChange[]; granted: StackChange[]; revoked: StackChange[] };
  /** The accounts whose access changed (at most CHANGED_ACCOUNTS), for the log's per-person history; absent when none. */
  accounts?: string[];
};

export const NO_CHANGES: AccessChanges = {
  roleChanges: 0,
  stackGrants: 0,
  stackRevocations: 0,
  sample: { roles: [], granted: [], revoked: [] },
};

/** How many changes of each kind a report names, and how many accounts it lists (for the log's per-person history). */
export const SAMPLE = 20;
export const CHANGED_ACCOUNTS = 100;

/** Distinct ids of two lists, at most CHANGED_ACCOUNTS; undefined when there are none. */
function accountsOf(...lists: (string[] | null | undefined)[]): string[] | undefined {
  const ids = [...new Set(lists.flatMap((l) => l ?? []))].slice(0, CHANGED_ACCOUNTS);
  return ids.length ? ids : undefined;
}

/** The target's accounts; `forRoles`: only those whose org role can move (see `joinedOrLeft`). */
function targetAccounts(orgId: string, target: AccessTarget, forRoles: boolean): SQL {
  if ("userIds" in target) {
    if (!target.userIds.length) return sql`select null::uuid as account_id where false`;
    const ifAdmin =
      forRoles && target.joinedOrLeft
        ? sql` and exists (select 1 from ${groupMappings} gx where gx.group_id = ${target.joinedOrLeft}::uuid and gx.org_role = 'admin')`
        : sql``;
    return sql`select su.account_id from ${scimUsers} su where su.org_id = ${orgId} and su.id = any(${uuidArray(target.userIds)})${ifAdmin}`;
  }
  return target.accounts;
}

/**
 * A person joining the org with the access the rules give them, in the statement that activates their SCIM user
 * (a reactivation sends it after its locks, users/statements.ts joinLocks, so its snapshot sees all their groups):
 * CTEs to put after a CTE `u` (the user as written: `id`, `account_id`) that insert the membership with its role
 * (`joined`: empty when the person had a membership already — their access then needs recomputeAccess in a
 * transaction) and read the stack roles their groups now give them (`granted`), and the columns that report it
 * (joinedAccess reads them).
 * `newUser`: `u` was created by this statement, so it is in no group — Member, no stack roles — and the rules need
 * not be asked.
 */
export function joinWithAccess(orgId: string, opts: { newUser?: boolean } = {}): { ctes: SQL; columns: SQL } {
  const role = opts.newUser
    ? sql`'member'::org_role`
    : sql`(select d.role from (${desiredRoles(sql`u`, { orgId, activating: sql`(select id from u)` })}) d)`;
  // Nothing is written for stack roles (grants.ts reads them from the groups); `granted` is what the person has now.
  const granted = opts.newUser
    ? sql`granted as (select null::uuid as account_id, null::text as stack_id, null::uuid as stack_role_id where false)`
    : sql`granted as (
        select d.account_id, d.stack_id, d.stack_role_id
        from (${desiredStacks(sql`u`, { orgId, activating: sql`(select id from u)` })}) d
        where exists (select 1 from joined)
      )`;
  return {
    ctes: sql`joined as (
        insert into ${memberships} (org_id, account_id, role, scim_managed)
        select ${orgId}, u.account_id, ${role}, true from u
        on conflict do nothing
        returning account_id, role::text as role
      ),
      ${granted}`,
    columns: sql`(select role from joined) as joined_role,
      (select a.email from joined j join ${accounts} a on a.id = j.account_id where j.role <> 'member') as joined_email,
      (select count(*)::int from granted) as granted_count,
      (select json_agg(json_build_object('accountId', g.account_id, 'email', a.email, 'stack', s.name, 'role', r.name))
         from (select * from granted limit ${SAMPLE}) g join ${accounts} a on a.id = g.account_id
         join ${stacks} s on s.id = g.stack_id join ${stackRoles} r on r.id = g.stack_role_id) as granted_sample`,
  };
}

/** What joinWithAccess did, from its columns; undefined when the person was in the org already (nothing joined). */
export function joinedAccess(row: Record<string, unknown>): AccessChanges | undefined {
  const role = row.joined_role as string | null;
  if (!role) return undefined;
  const roles = role === "member" ? [] : [{ accountId: String(row.account_id), email: String(row.joined_email), from: "member", to: role }];
  return {
    roleChanges: roles.length,
    stackGrants: Number(row.granted_count ?? 0),
    stackRevocations: 0,
    sample: { roles, granted: (row.granted_sample ?? []) as StackChange[], revoked: [] },
    accounts: roles.length || Number(row.granted_count ?? 0) ? [String(row.account_id)] : undefined,
  };
}

export function isEmpty(changes: AccessChanges): boolean {
  return changes.roleChanges + changes.stackGrants + changes.stackRevocations === 0;
}

/**
 * Re-derives the org role of the target accounts (a few people: those a SCIM request touched, or one person handed to
 * SCIM) and reports the stack roles the change gave and took (`stacks`). A change of what a whole group gives is
 * group-change.ts.
 */
export async function recomputeAccess(
  tx: DbOrTx,
  orgId: string,
  target: AccessTarget,
  opts: {
    /** What the change did to the targets' groups, to report the stack roles it gave and took (stack-changes.ts); none when omitted. */
    stacks?: StackEffect;
  } = {},
): Promise<AccessChanges> {
  const targeted = targetAccounts(orgId, target, true);
  const rules = { orgId };

  // Two statements sent together (one round trip in a transaction); the second runs after the first and sees it.
  const [[roles], stackRows] = await inOrder(
    tx,
    // 1. Org roles. max() over the enum follows its order: member < admin (< owner, never mapped).
    () =>
      queryRows<{ n: number; sample: RoleChange[] | null; accounts: string[] | null }>(
        tx,
        sql`with target as (select distinct account_id from (${targeted}) t where account_id is not null),
      desired as (${desiredRoles(sql`target`, rules)}),
      changed as (
        update ${memberships} m set role = d.role, updated_at = now()
        from desired d, memberships old
        where m.org_id = ${orgId} and m.account_id = d.account_id and m.scim_managed and m.role <> 'owner'
          and old.org_id = m.org_id and old.account_id = m.account_id
          and m.role <> d.role
          -- never leave the org without an Owner or Admin
          and (d.role <> 'member' or exists (
            select 1 from ${memberships} x where x.org_id = ${orgId} and x.role in ('owner', 'admin') and x.account_id <> m.account_id))
        returning m.account_id, old.role::text as from_role, m.role::text as to_role
      )
      select (select count(*)::int from changed) as n,
        (select json_agg(account_id) from (select account_id from changed limit ${CHANGED_ACCOUNTS}) c) as accounts,
        (select json_agg(json_build_object('accountId', c.account_id, 'email', a.email, 'from', c.from_role, 'to', c.to_role))
           from (select * from changed limit ${SAMPLE}) c join ${accounts} a on a.id = c.account_id) as sample`,
      ),
    // 2. Stack roles: nothing to write (they are read from the groups' mappings, grants.ts); what changed, for the report.
    () =>
      opts.stacks
        ? stackChanges(tx, orgId, opts.stacks, {
            targets: sql`(${targetAccounts(orgId, target, false)})`,
            sample: SAMPLE,
            accountsLimit: CHANGED_ACCOUNTS,
          })
        : Promise.resolve(undefined),
  );

  const changes: AccessChanges = {
    roleChanges: roles?.n ?? 0,
    stackGrants: stackRows?.granted ?? 0,
    stackRevocations: stackRows?.revoked ?? 0,
    sample: { roles: roles?.sample ?? [], granted: stackRows?.grantedSample ?? [], revoked: stackRows?.revokedSample ?? [] },
  };
  const changed = accountsOf(roles?.accounts, stackRows?.accounts);
  return changed ? { ...changes, accounts: changed } : changes;
}

export function mergeChanges(a: AccessChanges, b: AccessChanges): AccessChanges {
  const changed = accountsOf(a.accounts, b.accounts);
  return {
    ...(changed ? { accounts: changed } : {}),
    roleChanges: a.roleChanges + b.roleChanges,
    stackGrants: a.stackGrants + b.stackGrants,
    stackRevocations: a.stackRevocations + b.stackRevocations,
    sample: {
      roles: [...a.sample.roles, ...b.sample.roles].slice(0, SAMPLE),
      granted: [...a.sample.granted, ...b.sample.granted].slice(0, SAMPLE),
      revoked: [...a.sample.revoked, ...b.sample.revoked].slice(0, SAMPLE),
    },
  };
}

import { sql, type SQL } from "drizzle-orm";
import { groupMappingStackRoles, groupMappings, memberships, scimGroupMembers, scimUsers } from "@/db/schema";

/**
 * The access rules of PRODUCT.md as SQL, defined once: the recompute (recompute.ts), a person joining in the
 * statement that activates them, and a person's stack roles as read (grants.ts) apply these two fragments. A change
 * of what one group gives (a mapping saved or removed, the group deleted) applies the same rules group by group
 * (group-change.ts: the highest role wins; a pair is held while some group grants it), and its preview with it.
 * - Org role: the highest role mapped to the groups of the account's active SCIM user (max() over the enum follows
 *   its order: member < admin; owner is never mapped); Member when none.
 * - Stack roles: the union of the stack roles mapped to those groups.
 *
 * Each fragment takes what it reads as parameters — the account (or a relation of accounts), the org — and names its
 * own tables inside; nothing relies on an alias of the statement around it.
 */

export type RuleOptions = {
  orgId: string;
  /** A SCIM user id (an expression) to count as active although the statement's snapshot does not show it yet: the statement is activating it. */
  activating?: SQL;
};

/**
 * The membership of a SCIM user `su` whose access the rules decide, as a join (alias `ms`): SCIM-managed and not the
 * Owner (a member made in the portal and not handed to SCIM, and the Owner, keep what they were given).
 */
export const RULED_MEMBERSHIP = sql`join ${memberships} ms on ms.org_id = su.org_id and ms.account_id = su.account_id and ms.scim_managed and ms.role <> 'owner'`;

/** The SCIM users whose groups count (`su`, `mem` are this module's own aliases): active, or being activated. */
function counted(o: RuleOptions): SQL {
  const active = o.activating ? sql`(su.active or su.id = ${o.activating})` : sql`su.active`;
  return sql`su.org_id = ${o.orgId} and ${active}`;
}

/**
 * The org role the rules give each account of `targets` (a relation with an `account_id` column, one row per
 * account): rows `(account_id, role)`, Member for an account none of whose groups is mapped (or without a SCIM user).
 */
export function desiredRoles(targets: SQL, o: RuleOptions): SQL {
  return sql`select tg.account_id, coalesce(max(rm.org_role::text::org_role), 'member'::org_role) as role
    from ${targets} tg
    left join (${scimUsers} su
      join ${scimGroupMembers} mem on mem.user_id = su.id
      join ${groupMappings} rm on rm.group_id = mem.group_id)
    on su.account_id = tg.account_id and ${counted(o)}
    group by tg.account_id`;
}

/**
 * The stack roles the rules give the accounts of `targets` (a relation with an `account_id` column): rows
 * `(account_id, stack_id, stack_role_id)`. `managedMembersOnly`: only for SCIM-managed members other than the Owner
 * (whose stack access SCIM never touches).
 */
export function desiredStacks(targets: SQL, o: RuleOptions & { managedMembersOnly?: boolean }): SQL {
  const managed = o.managedMembersOnly ? RULED_MEMBERSHIP : sql``;
  return sql`select distinct su.account_id, sm.stack_id, sm.stack_role_id
    from ${scimUsers} su
    join ${targets} tg on tg.account_id = su.account_id
    ${managed}
    join ${scimGroupMembers} mem on mem.user_id = su.id
    join ${groupMappingStackRoles} sm on sm.group_id = mem.group_id
    where ${counted(o)}`;
}

import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { groupMappingStackRoles, scimGroupMembers, scimUsers, stackAccess, stackRoles, stacks } from "@/db/schema";
import { desiredStacks, RULED_MEMBERSHIP } from "./rules";

/**
 * A person's stack roles: the ones given in the portal (rows of `stack_access`) and the ones their SCIM groups'
 * mappings give (rules.ts: the union over the mapped groups of their active SCIM user, for a SCIM-managed member
 * other than the Owner). The latter are not stored: a mapping change on a 100,000-member group writes no stack
 * rows, and nothing can fall out of step with the mappings. Each reader asks for a few people at a time (one
 * person's page, a page of 50 users) or, for the stacks page, counts per stack.
 */

/** Rows `(account_id, stack_id, stack_role_id, source)` of the accounts `targets` selects (a relation with `account_id`). */
export function stackGrants(orgId: string, targets: SQL): SQL {
  return sql`select sa.account_id, sa.stack_id, sa.stack_role_id, sa.source::text as source from ${stackAccess} sa
      where sa.org_id = ${orgId} and sa.account_id in (select account_id from ${targets} t)
    union all
    select d.account_id, d.stack_id, d.stack_role_id, 'scim' from (${desiredStacks(targets, { orgId, managedMembersOnly: true })}) d`;
}

/** One account's stack roles by name, with where each comes from: `source` 'manual' or 'scim'. */
export async function stackGrantsOf(
  db: DbOrTx,
  orgId: string,
  accountId: string,
): Promise<{ stackId: string; stack: string; role: string; source: "manual" | "scim" }[]> {
  const rows = await queryRows<{ stack_id: string; stack: string; role: string; source: "manual" | "scim" }>(
    db,
    sql`select g.stack_id, s.name as stack, r.name as role, g.source
        from (${stackGrants(orgId, sql`(select ${accountId}::uuid as account_id)`)}) g
        join ${stacks} s on s.id = g.stack_id join ${stackRoles} r on r.id = g.stack_role_id
        order by s.name, r.name, g.source`,
  );
  return rows.map((r) => ({ stackId: r.stack_id, stack: r.stack, role: r.role, source: r.source }));
}

/** How many people have some role on each stack of the org (given in the portal or by their groups). */
export async function stackPeople(db: DbOrTx, orgId: string): Promise<Map<string, number>> {
  const rows = await queryRows<{ stack_id: string; n: number }>(
    db,
    sql`select stack_id, count(distinct account_id)::int as n from (
          select stack_id, account_id from ${stackAccess} where org_id = ${orgId}
          union all
          select x.stack_id, su.account_id from ${groupMappingStackRoles} x
            join ${scimGroupMembers} m on m.group_id = x.group_id
            join ${scimUsers} su on su.id = m.user_id and su.active
            ${RULED_MEMBERSHIP}
          where x.org_id = ${orgId}) t
        group by stack_id`,
  );
  return new Map(rows.map((r) => [r.stack_id, r.n]));
}

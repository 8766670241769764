import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { uuidArray } from "@/db/sql";
import { accounts, groupMappingStackRoles, scimGroupMembers, scimUsers, stackRoles, stacks } from "@/db/schema";
import { desiredStacks, RULED_MEMBERSHIP } from "./rules";

/**
 * The stack roles SCIM gives are not stored per person: they are read from the person's groups' mappings when
 * asked (grants.ts). A change therefore writes no stack rows; what it *reports* — who gained or lost which stack
 * role, for the provisioning log, the audit trail and the mapping form — is computed here, from what the change
 * was, by one read-only statement whose cost depends on the people the change touches. (A change of what one
 * group gives, for all its members, is group-change.ts.)
 *
 * People joining or leaving a group G change only the G-part of their roles: a pair G grants is gained (or lost)
 * unless one of their other groups grants it too — the same before and after, since the change does not touch
 * those groups. So the report needs no "before" snapshot.
 */

export type StackPair = { stackId: string; roleId: string };

export type StackEffect =
  /** The targets' SCIM stack roles begin now (activated, joined the org, handed to SCIM): all their groups give. */
  | { kind: "joined" }
  /** SCIM users who joined group G (`added`) and who left it (`removed`), net of this request. */
  | { kind: "members"; groupId: string; added: string[]; removed: string[] };

export type StackChange = { accountId: string; email: string; stack: string; role: string };

export type StackChanges = {
  granted: number;
  revoked: number;
  grantedSample: StackChange[];
  revokedSample: StackChange[];
  /** At most `accountsLimit` distinct accounts that gained or lost something. */
  accounts: string[];
};

const NONE: StackChanges = { granted: 0, revoked: 0, grantedSample: [], revokedSample: [], accounts: [] };

/** The people whose SCIM stack roles count (`su`, `ms`): an active SCIM user, a SCIM-managed membership, not the Owner. */
const eligible = (orgId: string) =>
  sql`join ${scimUsers} su on su.id = c.user_id and su.org_id = ${orgId} and su.active ${RULED_MEMBERSHIP}`;

/**
 * The changes as rows `(account_id, stack_id, stack_role_id, kind)`, kind 'gained' or 'lost'. `targets`: for
 * "joined", a relation of `account_id`s.
 */
export function stackChangeRows(orgId: string, effect: StackEffect, targets?: SQL): SQL {
  if (effect.kind === "joined")
    return sql`select d.account_id, d.stack_id, d.stack_role_id, 'gained' as kind
      from (${desiredStacks(targets ?? sql`(select null::uuid as account_id where false)`, { orgId, managedMembersOnly: true })}) d`;
  const g = effect.groupId;
  return sql`select su.account_id, c.stack_id, c.stack_role_id, c.kind from (
      with p as (select stack_id, stack_role_id from ${groupMappingStackRoles} where group_id = ${g}::uuid)
      select u.id as user_id, p.stack_id, p.stack_role_id, 'gained' as kind from unnest(${uuidArray(effect.added)}) u(id) cross join p
      union all
      select u.id, p.stack_id, p.stack_role_id, 'lost' from unnest(${uuidArray(effect.removed)}) u(id) cross join p) c
    ${eligible(orgId)}
    where not exists (
      select 1 from ${scimGroupMembers} o join ${groupMappingStackRoles} x on x.group_id = o.group_id
      where o.user_id = c.user_id and o.group_id <> ${g}::uuid and x.stack_id = c.stack_id and x.stack_role_id = c.stack_role_id)`;
}

/** The first `limit` rows of kind `kind` of a CTE `changes` (stackChangeRows' columns), named, as JSON (StackChange[]). */
export function namedStackChanges(kind: "gained" | "lost", limit: number): SQL {
  return sql`(select json_agg(json_build_object('accountId', c.account_id, 'email', a.email, 'stack', s.name, 'role', r.name))
    from (select * from changes where kind = ${kind} limit ${limit}) c join ${accounts} a on a.id = c.account_id
    join ${stacks} s on s.id = c.stack_id join ${stackRoles} r on r.id = c.stack_role_id)`;
}

/** The columns of a stack report, as its statements return them. */
export type StackReportRow = {
  granted: number;
  revoked: number;
  granted_sample: StackChange[] | null;
  revoked_sample: StackChange[] | null;
  accounts: string[] | null;
};

/** What a change did to SCIM stack roles: counts, the first `sample` of each kind with names, the accounts. */
export async function stackChanges(
  tx: DbOrTx,
  orgId: string,
  effect: StackEffect,
  opts: { targets?: SQL; sample: number; accountsLimit: number },
): Promise<StackChanges> {
  if (effect.kind === "members" && !effect.added.length && !effect.removed.length) return NONE;
  const [row] = await queryRows<StackReportRow>(
    tx,
    sql`with changes as (${stackChangeRows(orgId, effect, opts.targets)})
      select count(*) filter (where kind = 'gained')::int as granted, count(*) filter (where kind = 'lost')::int as revoked,
        ${namedStackChanges("gained", opts.sample)} as granted_sample, ${namedStackChanges("lost", opts.sample)} as revoked_sample,
        (select json_agg(account_id) from (select distinct account_id from changes limit ${opts.accountsLimit}) c) as accounts
      from changes`,
  );
  if (!row) return NONE;
  return {
    granted: row.granted,
    revoked: row.revoked,
    grantedSample: row.granted_sample ?? [],
    revokedSample: row.revoked_sample ?? [],
    accounts: row.accounts ?? [],
  };
}

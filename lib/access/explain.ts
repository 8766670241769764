import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import {
  groupMappings,
  groupMappingStackRoles,
  memberships,
  scimGroupMembers,
  scimGroups,
  scimUsers,
  stackRoles,
  stacks,
} from "@/db/schema";
import { stackGrants as grantsOf } from "./grants";

export type Grant = { what: string; from: string[] };

export type ExplainedAccess = {
  /** The org role now (null: not a member). */
  role: string | null;
  /** Why: the groups whose mapping gives it, or a sentence. */
  roleReason: string[];
  /** The person's SCIM groups and the org role each one's mapping gives (null: not mapped). */
  groups: { id: string; name: string; org_role: string | null }[];
  stackGrants: Grant[];
};

/**
 * One person's access in one org with every grant explained ("Developer on Marketing site — from group
 * Engineering"): the SCIM user page and My access both show it. `scim`: the person's SCIM user in the org, when
 * they have one.
 */
export async function explainAccess(
  db: DbOrTx,
  orgId: string,
  accountId: string,
  scim: { id: string; active: boolean } | null,
): Promise<ExplainedAccess> {
  // The person's SCIM user, if any: stack grants come from groups only through it (NULL matches no row).
  const userId = scim?.id ?? null;
  const [[membership], groups, stackGrants] = await Promise.all([
    queryRows<{ role: string; scim_managed: boolean }>(
      db,
      sql`select role::text as role, scim_managed from ${memberships} where org_id = ${orgId} and account_id = ${accountId}::uuid`,
    ),
    scim
      ? queryRows<{ id: string; name: string; org_role: string | null }>(
          db,
          sql`select g.id, g.display_name as name, gm.org_role::text as org_role from ${scimGroupMembers} m join ${scimGroups} g on g.id = m.group_id
              left join ${groupMappings} gm on gm.group_id = g.id where m.user_id = ${userId}::uuid order by lower(g.display_name)`,
        )
      : Promise.resolve([]),
    queryRows<{ stack: string; role: string; source: string; groups: string[] | null }>(
      db,
      sql`select s.name as stack, r.name as role, sa.source::text as source,
            (select array_agg(g.display_name order by g.display_name) from ${scimGroupMembers} m join ${groupMappingStackRoles} x on x.group_id = m.group_id
               join ${scimGroups} g on g.id = m.group_id where m.user_id = ${userId}::uuid and x.stack_id = sa.stack_id and x.stack_role_id = sa.stack_role_id) as groups
          from (${grantsOf(orgId, sql`(select ${accountId}::uuid as account_id)`)}) sa
          join ${stacks} s on s.id = sa.stack_id join ${stackRoles} r on r.id = sa.stack_role_id
          order by s.name, r.name, sa.source`,
    ),
  ]);
  const role = membership?.role ?? null;
  const granting = groups.filter((g) => g.org_role === role);
  const roleReason =
    role === null
      ? [scim && !scim.active ? "Deactivated by the identity provider: removed from the organization" : "Not a member of the organization"]
      : role === "owner"
        ? ["The organization's Owner (never changed by SCIM)"]
        : !membership?.scim_managed
          ? [
              scim
                ? "Given in the portal before SCIM linked them (SCIM does not change it until they are handed to SCIM)"
                : "Given in the portal",
            ]
          : granting.length
            ? granting.map((g) => `group ${g.name}`)
            : ["Default for provisioned people: no mapped group grants more"];
  return {
    role,
    roleReason,
    groups,
    stackGrants: stackGrants.map((s) => ({
      what: `${s.role} on ${s.stack}`,
      from: s.source === "manual" ? ["given in the portal"] : (s.groups ?? []).map((g) => `group ${g}`),
    })),
  };
}

/** "Admin — from group Engineering", or the reason as a sentence. */
export function roleExplanation(roleLabel: string | null, a: Pick<ExplainedAccess, "role" | "roleReason">): string {
  return a.role && a.roleReason[0]?.startsWith("group") ? `${roleLabel} — from ${a.roleReason.join(", ")}` : a.roleReason.join("; ");
}

/** The account's SCIM user in the org, if the IdP provisioned one. */
export async function scimUserOfAccount(db: DbOrTx, orgId: string, accountId: string): Promise<{ id: string; active: boolean } | null> {
  const [row] = await queryRows<{ id: string; active: boolean }>(
    db,
    sql`select id, active from ${scimUsers} where org_id = ${orgId} and account_id = ${accountId}::uuid`,
  );
  return row ?? null;
}

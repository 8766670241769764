import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { memberships } from "@/db/schema";

/**
 * A provisioned (active) SCIM user is a member of the org, managed by SCIM. The Owner stays the Owner and is not
 * marked as SCIM-managed (SCIM never changes the Owner). As SQL: the upsert of the memberships of the account ids
 * that `people` selects (a `values` list or a query), returning `inserted` — true for a person who joined now.
 */
export function scimMembershipUpsert(orgId: string, people: SQL): SQL {
  return sql`insert into ${memberships} (org_id, account_id, role, scim_managed) select ${orgId}, a.account_id, 'member', true from (${people}) a
    on conflict (org_id, account_id) do update set scim_managed = (memberships.role <> 'owner'), updated_at = now()
    returning (xmax = 0) as inserted`;
}

/** scimMembershipUpsert for one account; true when the person joined the org now. */
export async function ensureScimMembership(tx: DbOrTx, orgId: string, accountId: string | SQL): Promise<boolean> {
  const rows = await queryRows<{ inserted: boolean }>(tx, scimMembershipUpsert(orgId, sql`select ${accountId}::uuid as account_id`));
  return rows[0]?.inserted ?? false;
}

/**
 * Deprovisioning: the person leaves the organization (no org role, no stack roles — stack_access rows go with
 * the membership) and keeps their account. The Owner is never removed. As SQL: the delete, returning the `role`
 * the person had.
 */
export function scimMembershipRemoval(orgId: string, accountId: string | SQL): SQL {
  return sql`delete from ${memberships} where org_id = ${orgId} and account_id = ${accountId} and role <> 'owner' returning role::text as role`;
}

/** scimMembershipRemoval for one account; the role the person had, if removed. */
export async function removeScimMembership(tx: DbOrTx, orgId: string, accountId: string | SQL): Promise<string | null> {
  const rows = await queryRows<{ role: string }>(tx, scimMembershipRemoval(orgId, accountId));
  return rows[0]?.role ?? null;
}

import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { memberships } from "@/db/schema";

/**
 * A provisioned (active) SCIM user is a member of the org, managed by SCIM. A membership that existed before SCIM
 * linked the person — made in the portal, or the Owner — is not taken over: it stays as it was (its role is not
 * re-derived, deprovisioning does not remove it) until an Owner or Admin hands it to SCIM (handToScim). As SQL: the
 * upsert of the memberships of the account ids that `people` selects, returning `inserted` — true for a person who
 * joined now.
 */
export function scimMembershipUpsert(orgId: string, people: SQL): SQL {
  return sql`insert into ${memberships} (org_id, account_id, role, scim_managed) select ${orgId}, a.account_id, 'member', true from (${people}) a
    on conflict (org_id, account_id) do update set updated_at = now()
    returning (xmax = 0) as inserted`;
}

/** scimMembershipUpsert for one account; true when the person joined the org now. */
export async function ensureScimMembership(tx: DbOrTx, orgId: string, accountId: string | SQL): Promise<boolean> {
  const rows = await queryRows<{ inserted: boolean }>(tx, scimMembershipUpsert(orgId, sql`select ${accountId}::uuid as account_id`));
  return rows[0]?.inserted ?? false;
}

/**
 * Deprovisioning: the person leaves the organization (no org role, no stack roles — stack_access rows go with
 * the membership) and keeps their account. Only a SCIM-managed membership goes: the Owner, and a member made in
 * the portal and not handed to SCIM, stay. As SQL: the delete, returning the `role` the person had.
 */
export function scimMembershipRemoval(orgId: string, accountId: string | SQL): SQL {
  return sql`delete from ${memberships} where org_id = ${orgId} and account_id = ${accountId} and role <> 'owner' and scim_managed returning role::text as role`;
}

/** scimMembershipRemoval for one account; the role the person had, if removed. */
export async function removeScimMembership(tx: DbOrTx, orgId: string, accountId: string | SQL): Promise<string | null> {
  const rows = await queryRows<{ role: string }>(tx, scimMembershipRemoval(orgId, accountId));
  return rows[0]?.role ?? null;
}

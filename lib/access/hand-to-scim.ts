import { sql } from "drizzle-orm";
import { queryRows, transaction, type Db, type DbOrTx } from "@/db/client";
import { memberships, scimUsers, type OrgRole } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { recomputeAccess, type AccessChanges } from "./recompute";
import { desiredRoles } from "./rules";

/**
 * A member made in the portal before SCIM linked them is not taken over by SCIM (lib/access/membership.ts): their
 * role stays, deprovisioning leaves them. Handing them to SCIM — one action of an Owner or Admin — makes their
 * access follow their groups from then on, at once.
 */

export type HandOver = { role: OrgRole; scimRole: OrgRole };

/** A held member (made in the portal, linked to an active SCIM user of the org): their role now and what SCIM would give. */
export async function handOverOf(db: DbOrTx, orgId: string, accountId: string): Promise<HandOver | null> {
  const [row] = await queryRows<{ role: OrgRole; scim_role: OrgRole }>(
    db,
    sql`select m.role::text as role, (select d.role::text from (${desiredRoles(sql`(select ${accountId}::uuid as account_id)`, { orgId })}) d) as scim_role
        from ${memberships} m
        where m.org_id = ${orgId} and m.account_id = ${accountId}::uuid and not m.scim_managed and m.role <> 'owner'
          and exists (select 1 from ${scimUsers} su where su.org_id = m.org_id and su.account_id = m.account_id and su.active)`,
  );
  return row ? { role: row.role, scimRole: row.scim_role } : null;
}

/** Hands a held member to SCIM: SCIM-managed from now on, their role and stack roles re-derived in the same transaction. */
export async function handToScim(db: Db, orgId: string, accountId: string): Promise<AccessChanges> {
  return transaction(db, async (tx) => {
    const held = await queryRows<{ role: string }>(
      tx,
      sql`select role::text as role from ${memberships} where org_id = ${orgId} and account_id = ${accountId}::uuid for update`,
    );
    if (!held[0] || !(await handOverOf(tx, orgId, accountId)))
      throw new AppError(
        "invalid_input",
        "This person is not a member made in the portal with an active SCIM user: there is nothing to hand over.",
      );
    await queryRows(
      tx,
      sql`update ${memberships} set scim_managed = true, updated_at = now() where org_id = ${orgId} and account_id = ${accountId}::uuid`,
    );
    return recomputeAccess(tx, orgId, { accounts: sql`select ${accountId}::uuid as account_id` });
  });
}

import { sql } from "drizzle-orm";
import { queryRows, transaction, type Db, type DbOrTx } from "@/db/client";
import { accounts, memberships, scimUsers, type OrgRole } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
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

/**
 * Hands a held member to SCIM: SCIM-managed from now on, their role and stack roles re-derived, and the audit event
 * (the role before and after), all in one transaction.
 */
export async function handToScim(db: Db, actor: AuditActor, orgId: string, accountId: string): Promise<AccessChanges> {
  return transaction(db, async (tx) => {
    const [member] = await queryRows<{ role: OrgRole; email: string }>(
      tx,
      sql`select m.role::text as role, a.email from ${memberships} m join ${accounts} a on a.id = m.account_id
          where m.org_id = ${orgId} and m.account_id = ${accountId}::uuid for update of m`,
    );
    if (!member || !(await handOverOf(tx, orgId, accountId)))
      throw new AppError(
        "invalid_input",
        "This person is not a member made in the portal with an active SCIM user: there is nothing to hand over.",
      );
    await queryRows(
      tx,
      sql`update ${memberships} set scim_managed = true, updated_at = now() where org_id = ${orgId} and account_id = ${accountId}::uuid`,
    );
    const changes = await recomputeAccess(
      tx,
      orgId,
      { accounts: sql`select ${accountId}::uuid as account_id` },
      { stacks: { kind: "joined" } },
    );
    const before = member.role;
    await recordAudit(tx, actor, {
      orgId,
      action: "member.handed_to_scim",
      target: { type: "member", id: accountId, label: member.email },
      // The one person's role change, if any, is in the changes' sample.
      details: { roleBefore: before, roleAfter: changes.sample.roles.find((r) => r.accountId === accountId)?.to ?? before },
    });
    return changes;
  });
}

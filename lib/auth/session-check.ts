import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { accounts, memberships, scimUsers } from "@/db/schema";
import { membershipEpoch } from "@/lib/sso/sign-in";

export type SessionAccountRow = { id: string; email: string; name: string };

type Row = SessionAccountRow & { since: string | null; scim_active: boolean | null };

/**
 * The account of a session, read on every request. For a session from an org's IdP the same statement also reads
 * its epoch — the incarnation of the membership it signed in against (membershipEpoch) — and the person's SCIM
 * user's `active`: null when the membership is gone or new (the person left the org, by SCIM deactivation or
 * DELETE, or by an admin, and maybe came back) or the SCIM user is deactivated. Two primary-key lookups more than
 * a password session's statement (`npm run bench -- --session` measures them).
 */
export async function sessionAccount(db: DbOrTx, accountId: string, sso: { orgId: string; since: string } | null): Promise<SessionAccountRow | null> {
  const [row] = await queryRows<Row>(
    db,
    sso
      ? sql`select a.id, a.email, a.name,
            (select ${membershipEpoch(sql`m.created_at`)} from ${memberships} m where m.org_id = ${sso.orgId} and m.account_id = a.id) as since,
            (select su.active from ${scimUsers} su where su.org_id = ${sso.orgId} and su.account_id = a.id) as scim_active
          from ${accounts} a where a.id = ${accountId}::uuid`
      : sql`select a.id, a.email, a.name, null as since, null as scim_active from ${accounts} a where a.id = ${accountId}::uuid`,
  );
  if (!row || (sso && (row.since !== sso.since || row.scim_active === false))) return null;
  return { id: row.id, email: row.email, name: row.name };
}

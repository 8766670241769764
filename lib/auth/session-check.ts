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
 * DELETE, or by an admin, and maybe came back) or the SCIM user is deactivated. One primary-key lookup more than a
 * password session's statement, two for the Owner (`npm run bench:session` measures the difference).
 */
export async function sessionAccount(
  db: DbOrTx,
  accountId: string,
  sso: { orgId: string; since: string } | null,
): Promise<SessionAccountRow | null> {
  const [row] = await queryRows<Row>(
    db,
    sso
      ? // A deactivated or deleted SCIM user has no membership (its incarnation is gone); only the Owner, whom SCIM
        // never removes, keeps one: their SCIM user's `active` is read for them alone.
        sql`select a.id, a.email, a.name, ${membershipEpoch(sql`m.created_at`)} as since,
            case when m.role = 'owner' then (select su.active from ${scimUsers} su where su.org_id = ${sso.orgId} and su.account_id = a.id) end as scim_active
          from ${accounts} a left join ${memberships} m on m.org_id = ${sso.orgId} and m.account_id = a.id
          where a.id = ${accountId}::uuid`
      : sql`select a.id, a.email, a.name, null as since, null as scim_active from ${accounts} a where a.id = ${accountId}::uuid`,
  );
  if (!row || (sso && (row.since !== sso.since || row.scim_active === false))) return null;
  return { id: row.id, email: row.email, name: row.name };
}

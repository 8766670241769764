import { and, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { accounts, memberships, scimUsers, ssoIdentities } from "@/db/schema";
import { logger } from "@/lib/logger";
import { decideSsoSignIn, emailClaim, type PersonFacts, type SsoClaims, type SsoDecision } from "./accept";

/**
 * A membership's incarnation, in microseconds since the epoch: the session epoch of an SSO session. Leaving the org
 * (SCIM deactivation or DELETE, removal by an admin) deletes the membership, and joining again makes a new one, so
 * a session signed in against an earlier membership never matches again — whoever removed the person, by whatever
 * path, without a write on that path.
 */
export const membershipEpoch = (createdAt: SQL) => sql<string>`(extract(epoch from ${createdAt}) * 1000000)::bigint::text`;

type FactsRow = {
  account_id: string;
  linked_subject: string | null;
  role: "owner" | "admin" | "member" | null;
  since: string | null;
  scim_active: boolean | null;
};

async function personFacts(db: DbOrTx, orgId: string, issuer: string, match: SQL): Promise<PersonFacts | null> {
  const [row] = await queryRows<FactsRow>(
    db,
    sql`select a.id as account_id,
        (select i.subject from ${ssoIdentities} i where i.org_id = ${orgId} and i.issuer = ${issuer} and i.account_id = a.id) as linked_subject,
        m.role::text as role, ${membershipEpoch(sql`m.created_at`)} as since, su.active as scim_active
      from ${accounts} a
      left join ${memberships} m on m.org_id = ${orgId} and m.account_id = a.id
      left join ${scimUsers} su on su.org_id = ${orgId} and su.account_id = a.id
      where ${match} limit 1`,
  );
  if (!row) return null;
  return {
    accountId: row.account_id,
    linkedSubject: row.linked_subject,
    membership: row.role && row.since ? { role: row.role, since: row.since } : null,
    scimUser: row.scim_active === null ? null : { active: row.scim_active },
  };
}

/** What the database says about the people this sign-in could be: the one linked to `sub`, else the one with the email. */
export async function signInFacts(db: DbOrTx, orgId: string, issuer: string, claims: SsoClaims) {
  const sub = typeof claims.sub === "string" ? claims.sub : "";
  const bySubject = sub
    ? await personFacts(
        db,
        orgId,
        issuer,
        sql`a.id = (select account_id from ${ssoIdentities} where org_id = ${orgId} and issuer = ${issuer} and subject = ${sub})`,
      )
    : null;
  const email = emailClaim(claims);
  const byEmail = !bySubject && email ? await personFacts(db, orgId, issuer, sql`lower(a.email) = lower(${email})`) : null;
  return { bySubject, byEmail };
}

/**
 * Decides a sign-in through the org's IdP and, when it is accepted, links the `sub` to the account (first sign-in)
 * or notes the sign-in. A refusal writes nothing: no account, no membership, no link, no session.
 */
export async function acceptSsoSignIn(
  db: DbOrTx,
  orgId: string,
  connection: { issuer: string; emailAuthoritative: boolean },
  claims: SsoClaims,
): Promise<SsoDecision> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const decision = decideSsoSignIn({ claims, connection, ...(await signInFacts(db, orgId, connection.issuer, claims)) });
    if (!decision.ok) return decision;
    const sub = String(claims.sub);
    if (!decision.link) {
      await db
        .update(ssoIdentities)
        .set({ lastSignInAt: sql`now()` })
        .where(and(eq(ssoIdentities.orgId, orgId), eq(ssoIdentities.issuer, connection.issuer), eq(ssoIdentities.subject, sub)));
      return decision;
    }
    const linked = await db
      .insert(ssoIdentities)
      .values({ orgId, issuer: connection.issuer, subject: sub, accountId: decision.accountId })
      .onConflictDoNothing()
      .returning({ subject: ssoIdentities.subject });
    if (linked.length) {
      logger().info({ event: "sso_identity_linked", orgId, accountId: decision.accountId }, "IdP identity linked to the account");
      return decision;
    }
    // A concurrent first sign-in linked this sub or this account meanwhile: decide again on what is there now.
  }
  return { ok: false, reason: "linked-elsewhere", detail: "the identity or the account was linked by another sign-in at the same moment" };
}

import { and, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, transaction, type Db, type DbOrTx, type Tx } from "@/db/client";
import { accounts, memberships, scimUsers, ssoIdentities } from "@/db/schema";
import { recordAudit, type AuditActor } from "@/lib/audit/record";
import type { RequestOrigin } from "@/lib/audit/origin";
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

/** One decision and its writes; null when a concurrent first sign-in linked the sub or the account meanwhile. */
type Attempt = { decision: SsoDecision; accountId: string | null } | null;

async function decideAndWrite(
  tx: Tx,
  orgId: string,
  connection: { issuer: string; emailAuthoritative: boolean },
  claims: SsoClaims,
): Promise<Attempt> {
  const facts = await signInFacts(tx, orgId, connection.issuer, claims);
  const decision = decideSsoSignIn({ claims, connection, ...facts });
  if (!decision.ok) return { decision, accountId: (facts.bySubject ?? facts.byEmail)?.accountId ?? null };
  const sub = String(claims.sub);
  if (!decision.link) {
    await tx
      .update(ssoIdentities)
      .set({ lastSignInAt: sql`now()` })
      .where(and(eq(ssoIdentities.orgId, orgId), eq(ssoIdentities.issuer, connection.issuer), eq(ssoIdentities.subject, sub)));
    return { decision, accountId: decision.accountId };
  }
  const linked = await tx
    .insert(ssoIdentities)
    .values({ orgId, issuer: connection.issuer, subject: sub, accountId: decision.accountId })
    .onConflictDoNothing()
    .returning({ subject: ssoIdentities.subject });
  if (!linked.length) return null;
  logger().info({ event: "sso_identity_linked", orgId, accountId: decision.accountId }, "IdP identity linked to the account");
  return { decision, accountId: decision.accountId };
}

const LINK_RACE: SsoDecision = {
  ok: false,
  reason: "linked-elsewhere",
  detail: "the identity or the account was linked by another sign-in at the same moment",
};

/**
 * Decides a sign-in through the org's IdP and, when it is accepted, links the `sub` to the account (first sign-in)
 * or notes the sign-in. Either way the org's audit trail gets the sign-in or the refusal (with the email the IdP
 * asserted and, in plain words, why), in the same transaction. A refusal writes nothing else: no account, no
 * membership, no link, no session.
 */
export async function acceptSsoSignIn(
  db: Db,
  orgId: string,
  connection: { issuer: string; emailAuthoritative: boolean },
  claims: SsoClaims,
  origin: RequestOrigin,
): Promise<SsoDecision> {
  return transaction(db, async (tx) => {
    // A concurrent first sign-in that linked this sub or this account meanwhile: decide again on what is there now
    // (each statement of the transaction sees what was committed before it).
    let outcome: Attempt = null;
    for (let attempt = 0; attempt < 2 && !outcome; attempt++) outcome = await decideAndWrite(tx, orgId, connection, claims);
    const { decision, accountId } = outcome ?? { decision: LINK_RACE, accountId: null };
    const actor: AuditActor = { kind: "sso", accountId, email: emailClaim(claims), ...origin };
    const sub = typeof claims.sub === "string" ? claims.sub.slice(0, 200) : null;
    await recordAudit(tx, actor, {
      orgId,
      ...(decision.ok
        ? { action: "sign_in.sso", details: { issuer: connection.issuer, sub, role: decision.role, firstSignIn: decision.link } }
        : {
            action: "sign_in.sso_refused",
            details: { reason: decision.detail, refusal: decision.reason, issuer: connection.issuer, sub },
          }),
    });
    return decision;
  });
}

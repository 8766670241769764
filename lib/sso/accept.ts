/**
 * Who an org's IdP may sign in: the rules, as a pure function of what the database says about the person.
 * The SCIM lifecycle decides — only an active member of the org gets in; no just-in-time creation.
 */

/** Why a sign-in through an org's IdP was refused (each has its own page: app/sign-in/sso/refused). */
export type SsoRefusal =
  /** The ID token (or the discovery document) names another issuer than the one the org configured. */
  | "wrong-issuer"
  /** No `sub`, or no usable email when one is needed. */
  | "invalid-claims"
  /** The email is not verified and the org does not treat its IdP as authoritative for emails. */
  | "unverified-email"
  /** Never provisioned in the org, nor added to it by hand. */
  | "not-member"
  /** Deactivated (`active: false`) or removed by the IdP (or by an admin) after having had access. */
  | "deprovisioned"
  /** The account is linked to another identity (`sub`) at this IdP. */
  | "linked-elsewhere";

/** What the database says about one account in the org. */
export type PersonFacts = {
  accountId: string;
  /** The `sub` at this issuer linked to the account for this org, if any. */
  linkedSubject: string | null;
  /** The membership: role and since when (its incarnation: a session epoch, see lib/auth/session.ts). */
  membership: { role: "owner" | "admin" | "member"; since: string } | null;
  /** The account's SCIM user in the org, if the IdP provisioned one. */
  scimUser: { active: boolean } | null;
};

export type SsoClaims = { iss?: unknown; sub?: unknown; email?: unknown; email_verified?: unknown };

export type SsoDecision =
  | { ok: true; accountId: string; role: "owner" | "admin" | "member"; since: string; link: boolean }
  | { ok: false; reason: SsoRefusal; detail: string };

const refuse = (reason: SsoRefusal, detail: string): SsoDecision => ({ ok: false, reason, detail });

/** `email_verified` as IdPs send it (a boolean; some send the string "true"). */
const verified = (v: unknown) => v === true || v === "true";

export function emailClaim(claims: SsoClaims): string | null {
  return typeof claims.email === "string" && claims.email.includes("@") ? claims.email.trim() : null;
}

/**
 * The decision for one sign-in. `bySubject`: the account linked to this `sub` (matched first, so an email change at
 * the IdP does not break sign-in); `byEmail`: the account with the claimed email, used only when no link exists.
 */
export function decideSsoSignIn(input: {
  claims: SsoClaims;
  connection: { issuer: string; emailAuthoritative: boolean };
  bySubject: PersonFacts | null;
  byEmail: PersonFacts | null;
}): SsoDecision {
  const { claims, connection } = input;
  if (typeof claims.iss !== "string" || claims.iss.replace(/\/+$/, "") !== connection.issuer.replace(/\/+$/, ""))
    return refuse(
      "wrong-issuer",
      `the ID token's issuer "${String(claims.iss).slice(0, 200)}" is not the configured issuer "${connection.issuer}"`,
    );
  if (typeof claims.sub !== "string" || !claims.sub) return refuse("invalid-claims", "the ID token has no sub claim");
  const sub = claims.sub;
  let person = input.bySubject;
  if (!person) {
    const email = emailClaim(claims);
    if (!email) return refuse("invalid-claims", "the IdP sent no email claim (add the email scope or claim to the application)");
    if (!verified(claims.email_verified) && !connection.emailAuthoritative)
      return refuse(
        "unverified-email",
        `the IdP did not mark ${email} as verified (email_verified), and the organization does not treat its IdP as authoritative for emails`,
      );
    person = input.byEmail;
    if (!person) return refuse("not-member", `no account for ${email}: never provisioned in this organization`);
    if (person.linkedSubject && person.linkedSubject !== sub)
      return refuse("linked-elsewhere", `${email} is linked to another identity at this IdP (sub ${person.linkedSubject.slice(0, 100)})`);
  }
  if (person.scimUser && !person.scimUser.active) return refuse("deprovisioned", "the SCIM user is deactivated (active: false)");
  if (!person.membership)
    return person.linkedSubject || input.bySubject
      ? refuse("deprovisioned", "no longer a member of the organization (removed since the last sign-in)")
      : refuse("not-member", "not a member of the organization (never provisioned, not added by hand)");
  return {
    ok: true,
    accountId: person.accountId,
    role: person.membership.role,
    since: person.membership.since,
    link: !person.linkedSubject,
  };
}

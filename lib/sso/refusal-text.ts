import type { SsoRefusal } from "./accept";

/** The query of the refusal page, passed by proxy.ts to its forbidden.tsx (rendered without props or search params). */
export const REFUSAL_QUERY_HEADER = "x-portal-refusal-query";

/** What a refused person reads (app/sign-in/sso/refused): what happened, and what to do about it. */
export function refusalText(reason: SsoRefusal | string | undefined, orgName: string): { title: string; body: string } {
  switch (reason) {
    case "deprovisioned":
      return {
        title: "Your access was removed",
        body: `You were deactivated by your identity provider in ${orgName}, or removed from it — ask your IT admin if you should still have access.`,
      };
    case "not-member":
      return {
        title: `You don't have access to ${orgName}`,
        body: `Your identity provider signed you in, but you have not been given access to ${orgName} (nobody is created at sign-in: your IT admin assigns people to the app). Ask your IT admin.`,
      };
    case "unverified-email":
      return {
        title: "Your email address is not verified",
        body: `Your identity provider did not confirm that your email address is verified, so ${orgName} cannot tell it is yours. Ask your IT admin to verify it, or to mark the identity provider as authoritative for emails.`,
      };
    case "linked-elsewhere":
      return {
        title: "This account is linked to another identity",
        body: `The account with your email is already linked to a different person at ${orgName}'s identity provider. Ask your IT admin.`,
      };
    case "wrong-issuer":
      return {
        title: "The identity provider could not be trusted",
        body: `The sign-in came from another issuer than the one ${orgName} configured. Nothing was changed. Ask your IT admin to check the single sign-on settings.`,
      };
    case "invalid-claims":
      return {
        title: "The identity provider sent too little",
        body: `Your identity provider did not send the identity details ${orgName} needs (a subject and an email address). Ask your IT admin to check the application's claims.`,
      };
    case "not-configured":
      return {
        title: "Single sign-on is not available",
        body: `${orgName} has not set up single sign-on (or its settings cannot be read). Sign in with your password, or ask your IT admin.`,
      };
    default:
      // next-auth's own errors: the IdP's answer did not match this sign-in (tampered or expired state, PKCE,
      // nonce), the IdP refused, or it could not be reached.
      return {
        title: "Single sign-on could not be completed",
        body: `The answer from ${orgName}'s identity provider did not match this sign-in, or the identity provider could not be reached. Nothing was changed. Start again from the sign-in page.`,
      };
  }
}

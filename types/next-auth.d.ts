import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user?: { id?: string; name?: string | null; email?: string | null; image?: string | null };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    accountId?: string;
    /** How the session signed in: with a password, or through one org's IdP (which opens that org only). */
    via?: "password" | "sso";
    /** For `via: "sso"`: the org whose IdP signed the person in, and the membership it signed in against. */
    ssoOrg?: string;
    ssoSince?: string;
  }
}

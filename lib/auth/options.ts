import type { CallbacksOptions, NextAuthOptions, User } from "next-auth";
import { safeCallback } from "./safe-callback";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { originOf } from "@/lib/audit/origin";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import type { PortalSignIn } from "@/lib/sso/next-auth";
import { clientAddress, recordFailure, recordSuccess } from "@/lib/limits/throttle";
import { authenticate, PasswordSignInError } from "./authenticate";
import { TooManySignIns } from "./password";

export const SIGN_IN_PATH = "/sign-in";
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

/** The SSO part of one request's options (lib/sso/next-auth.ts): the org's provider and its sign-in rules. */
export type SsoOptions = {
  provider: NextAuthOptions["providers"][number];
  signIn: CallbacksOptions["signIn"];
  errorPage: string;
  onError: (code: string, metadata: unknown) => void;
};

/**
 * next-auth v4, built per request: email + password always; an org's OpenID Provider when the request signs in
 * through it. JWT sessions carry the account id and how it signed in (password, or which org's IdP and against
 * which membership); roles are always read from the database (lib/auth/session.ts).
 */
export function authOptions(sso?: SsoOptions): NextAuthOptions {
  const env = getEnv();
  return {
    secret: env.nextAuthSecret,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: SIGN_IN_PATH, error: sso?.errorPage ?? SIGN_IN_PATH },
    logger: {
      error: (code, metadata) => {
        sso?.onError(code, metadata);
        logger().error({ code, metadata: metadata instanceof Error ? metadata.message : undefined }, "next-auth error");
      },
      warn: (code) => logger().warn({ code }, "next-auth warning"),
      debug: () => {},
    },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const email = String(credentials?.email ?? "").trim();
          const password = String(credentials?.password ?? "");
          const headers = new Headers(req?.headers as Record<string, string> | undefined);
          const address = clientAddress(headers);
          try {
            const account = await authenticate(await getDb(), email, password, originOf(headers));
            // Shared across servers (lib/limits/throttle.ts): the route refuses an address that failed too often.
            await (account ? recordSuccess("signin", email, address) : recordFailure("signin", email, address));
            logger().info(
              { event: account ? "sign_in" : "sign_in_failed", method: "password", accountId: account?.id },
              account ? "signed in" : "sign-in refused",
            );
            return account;
          } catch (e) {
            if (e instanceof TooManySignIns) throw new Error("TooManyAttempts");
            if (!(e instanceof PasswordSignInError)) throw e;
            logger().info(
              { event: "sign_in_refused", method: "password", reason: e.message },
              "password sign-in refused: the organization requires SSO",
            );
            throw e; // next-auth answers error=<message> (SsoRequired)
          }
        },
      }),
      ...(sso ? [sso.provider] : []),
    ],
    callbacks: {
      async signIn(params) {
        if (params.account?.provider === "credentials") return true;
        return sso ? sso.signIn(params) : false;
      },
      jwt({ token, user, account }) {
        if (user) {
          const portal = (user as User & { portal?: PortalSignIn }).portal;
          if (account?.provider === "credentials") {
            token.accountId = user.id;
            token.via = "password";
          } else if (portal) {
            token.accountId = portal.accountId;
            token.via = "sso";
            token.ssoOrg = portal.orgId;
            token.ssoSince = portal.since;
            // The IdP's own subject, name and email are not the account's (read from the database on each request).
            delete token.sub;
            delete token.name;
            delete token.email;
            delete token.picture;
          }
        }
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.accountId === "string") session.user.id = token.accountId;
        return session;
      },
      redirect({ url, baseUrl }) {
        // Only ever send people back into this app (the sign-in page's rule, lib/auth/safe-callback.ts).
        return `${baseUrl}${safeCallback(url, baseUrl)}`;
      },
    },
  };
}

import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { authenticate } from "./authenticate";

export const SIGN_IN_PATH = "/sign-in";

/** next-auth v4: email + password, JWT sessions that carry the account id (roles are always read from the DB). */
export function authOptions(): NextAuthOptions {
  const env = getEnv();
  return {
    secret: env.nextAuthSecret,
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: SIGN_IN_PATH, error: SIGN_IN_PATH },
    logger: {
      error: (code, metadata) => logger().error({ code, metadata: metadata instanceof Error ? metadata.message : undefined }, "next-auth error"),
      warn: (code) => logger().warn({ code }, "next-auth warning"),
      debug: () => {},
    },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials) {
          const email = String(credentials?.email ?? "").trim();
          const password = String(credentials?.password ?? "");
          const account = await authenticate(await getDb(), email, password);
          logger().info({ event: account ? "sign_in" : "sign_in_failed", accountId: account?.id }, account ? "signed in" : "sign-in refused");
          return account;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.accountId = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user && typeof token.accountId === "string") session.user.id = token.accountId;
        return session;
      },
      redirect({ url, baseUrl }) {
        // Only ever send people back into this app.
        if (url.startsWith("/") && !url.startsWith("//")) return `${baseUrl}${url}`;
        try {
          if (new URL(url).origin === baseUrl) return url;
        } catch {
          /* fall through */
        }
        return baseUrl;
      },
    },
  };
}
